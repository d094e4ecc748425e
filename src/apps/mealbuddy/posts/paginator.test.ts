import { describe, expect, it } from 'vitest';
import { paginate, parsePage } from './paginator.js';

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('paginator (docs/apps/mealbuddy.md §5, 145 posts = 15 pages, verbatim)', () => {
  const table: Array<[number, [number, number], number | null, number | null]> = [
    [1, [1, 10], null, 11],
    [2, [1, 10], 1, 12],
    [6, [1, 10], 1, 15],
    [7, [2, 11], 1, 15],
    [8, [3, 12], 1, 15],
    [10, [5, 14], 1, 15],
    [11, [6, 15], 1, 15],
    [13, [6, 15], 3, 15],
    [15, [6, 15], 5, null],
  ];
  for (const [page, [l, r], prev, next] of table) {
    it(`${page} → [${l}..${r}] / ${prev} / ${next}`, () => {
      const { paginator, offset, limit } = paginate(String(page), 145);
      expect(paginator).toEqual({ page_range: range(l, r), current_page: page, prev_button: prev, next_button: next });
      expect(offset).toBe((page - 1) * 10);
      expect(limit).toBe(10);
    });
  }

  it('one page: [1] / null / null; zero posts the same', () => {
    const one = { page_range: [1], current_page: 1, prev_button: null, next_button: null };
    expect(paginate('1', 7).paginator).toEqual(one);
    expect(paginate(undefined, 0).paginator).toEqual(one);
  });

  it('non-integer pages are page 1 (abc, 1.5, empty, missing)', () => {
    for (const raw of ['abc', '1.5', '', undefined, null, '1e3', '0x10']) expect(paginate(raw, 145).paginator.current_page).toBe(1);
    expect(parsePage(' 3 ')).toBe(3);
    expect(parsePage('+4')).toBe(4);
  });

  it('clamps 0, negatives and pages past the end (the original raised a 500)', () => {
    expect(paginate('0', 145).paginator.current_page).toBe(1);
    expect(paginate('-7', 145).paginator.current_page).toBe(1);
    const last = paginate('999999999999999999999', 145);
    expect(last.paginator).toEqual({ page_range: range(6, 15), current_page: 15, prev_button: 5, next_button: null });
    expect(last.offset).toBe(140);
  });
});

describe('a count capped at (page + 11) pages gives the same paginator', () => {
  it('for every page of 145, 1,000 and 10,000 posts', () => {
    for (const count of [145, 1000, 10_000]) {
      for (let page = 0; page <= Math.ceil(count / 10) + 3; page++) {
        const cap = (Math.max(page, 1) + 11) * 10;
        expect(paginate(String(page), Math.min(count, cap))).toEqual(paginate(String(page), count));
      }
    }
  });
});
