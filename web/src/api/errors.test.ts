import { describe, expect, it } from 'vitest';
import { toApiError } from './errors';

describe('toApiError', () => {
  it('reads the envelope: code, message and field messages', () => {
    const e = toApiError(400, { error: { code: 'VALIDATION_ERROR', message: '입력값이 올바르지 않습니다.', fields: { title: ['이 필드는 필수 항목입니다.'] } } }, 'fallback');
    expect([e.status, e.code, e.message, e.field('title')]).toEqual([400, 'VALIDATION_ERROR', '입력값이 올바르지 않습니다.', '이 필드는 필수 항목입니다.']);
  });

  it('shows a bare JSON string refusal as it came (the original shape of a refused chat join)', () => {
    const e = toApiError(409, '인원수가 가득 찼습니다.', 'fallback', true);
    expect([e.status, e.message]).toEqual([409, '인원수가 가득 찼습니다.']);
    // a string that did not come as JSON (a proxy's page) is not shown
    expect(toApiError(502, '<html>Bad gateway</html>', 'fallback').message).toBe('fallback');
  });

  it('falls back for anything else', () => {
    expect(toApiError(502, null, '요청을 처리하지 못했습니다 (HTTP 502).').message).toBe('요청을 처리하지 못했습니다 (HTTP 502).');
    expect(toApiError(500, '  ', 'fallback', true).message).toBe('fallback');
  });
});
