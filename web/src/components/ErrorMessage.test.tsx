import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, toApiError } from '../api/errors';
import { ErrorMessage } from './ErrorMessage';
import { Field } from './Field';

afterEach(cleanup);

describe('toApiError', () => {
  it('reads the envelope with its field messages', () => {
    const e = toApiError(400, { error: { code: 'VALIDATION_ERROR', message: '입력값을 확인해 주세요.', fields: { username: ['이 필드는 필수 항목입니다.'], n: 'x' } } }, 'fallback');
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.code).toBe('VALIDATION_ERROR');
    expect(e.message).toBe('입력값을 확인해 주세요.');
    expect(e.field('username')).toBe('이 필드는 필수 항목입니다.');
    expect(e.field('n')).toBe('x');
    expect(e.field('password')).toBeUndefined();
  });

  it('falls back for bodies that are not the envelope', () => {
    const e = toApiError(502, '<html>Bad gateway</html>', 'HTTP 502');
    expect(e.code).toBe('HTTP_ERROR');
    expect(e.message).toBe('HTTP 502');
    expect(e.fields).toEqual({});
  });
});

function Form({ error }: { error: unknown }) {
  const [shown, setShown] = useState<unknown>(null);
  return (
    <form onSubmit={(e) => (e.preventDefault(), setShown(error))}>
      <ErrorMessage error={shown} />
      <Field label="아이디" name="username" error={shown} />
      <Field label="비밀번호" name="password" error={shown} />
      <button type="submit">보내기</button>
    </form>
  );
}

describe('error display', () => {
  it('shows the message as an alert and each field error under its own input', () => {
    const err = new ApiError(400, 'VALIDATION_ERROR', '입력값을 확인해 주세요.', { username: ['이미 사용 중인 아이디입니다.'] });
    render(<Form error={err} />);
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '보내기' }));
    expect(screen.getByRole('alert').textContent).toBe('입력값을 확인해 주세요.');
    const username = screen.getByLabelText('아이디');
    expect(username.getAttribute('aria-invalid')).toBe('true');
    const describedBy = username.getAttribute('aria-describedby')!;
    expect(document.getElementById(describedBy)?.textContent).toBe('이미 사용 중인 아이디입니다.');
    const password = screen.getByLabelText('비밀번호');
    expect(password.getAttribute('aria-invalid')).toBeNull();
    expect(password.getAttribute('aria-describedby')).toBeNull();
  });

  it('shows a network message for errors that are not from the API', () => {
    render(<ErrorMessage error={new TypeError('Failed to fetch')} />);
    expect(screen.getByRole('alert').textContent).toMatch(/서버에 연결할 수 없습니다/);
    expect(screen.getByRole('alert').dataset.code).toBe('NETWORK_ERROR');
  });
});
