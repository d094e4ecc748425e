import { describe, expect, it } from 'vitest';
import { clampInt, pageRequest, totalPages } from './paging.js';

describe('paging', () => {
  it('clamps page and size, never trusting input', () => {
    const d = { size: 10, max: 100 };
    expect(pageRequest(undefined, undefined, d)).toEqual({ page: 1, pageSize: 10, offset: 0 });
    expect(pageRequest('3', '20', d)).toEqual({ page: 3, pageSize: 20, offset: 40 });
    expect(pageRequest('-5', '0', d)).toEqual({ page: 1, pageSize: 1, offset: 0 });
    expect(pageRequest('abc', '1e9', d)).toEqual({ page: 1, pageSize: 100, offset: 0 });
    expect(pageRequest('99999999999', 5, d).page).toBe(1_000_000);
    expect(clampInt('2.9', 1, 1, 10)).toBe(2);
    expect(clampInt('', 7, 1, 10)).toBe(7);
  });
  it('total pages is at least one', () => {
    expect(totalPages(0, 10)).toBe(1);
    expect(totalPages(10, 10)).toBe(1);
    expect(totalPages(11, 10)).toBe(2);
  });
});
