import { describe, expect, it } from 'vitest';
import { ANIMALS } from './animals.js';
import { dailyFortune } from './fortune.js';
import { ASPECTS, FORTUNE_LINES } from './fortunes.js';
import { lastSevenDays, parseDate, periodWindow, seoulDateOf } from './time.js';

describe('daily fortune', () => {
  it('tables have at least 30 distinct lines per aspect', () => {
    for (const a of ASPECTS) {
      expect(FORTUNE_LINES[a].length, a).toBeGreaterThanOrEqual(30);
      expect(new Set(FORTUNE_LINES[a]).size).toBe(FORTUNE_LINES[a].length);
    }
  });

  it('is deterministic per (animal, Seoul date) and varies across days and animals', () => {
    const tiger = ANIMALS[2]!;
    expect(dailyFortune(tiger, '2026-01-01')).toEqual(dailyFortune(tiger, '2026-01-01'));
    const days = new Set(Array.from({ length: 20 }, (_, i) => dailyFortune(tiger, `2026-02-${String(i + 1).padStart(2, '0')}`).text));
    expect(days.size).toBeGreaterThan(15);
    const animals = new Set(ANIMALS.map((a) => dailyFortune(a, '2026-03-03').text));
    expect(animals.size).toBeGreaterThan(10);
    const f = dailyFortune(tiger, '2026-01-01');
    expect(f.luck).toBeGreaterThanOrEqual(1);
    expect(f.luck).toBeLessThanOrEqual(5);
    expect(f.text).toContain('[총운]');
  });

  it('the day changes at midnight in Seoul (15:00 UTC), not at UTC midnight', () => {
    expect(seoulDateOf(new Date('2026-03-01T14:59:59.999Z'))).toBe('2026-03-01');
    expect(seoulDateOf(new Date('2026-03-01T15:00:00Z'))).toBe('2026-03-02');
  });
});

describe('Seoul windows', () => {
  it('a period is [from 00:00, to + 1 day 00:00) Seoul time', () => {
    const w = periodWindow('2026-03-01', '2026-03-02');
    expect(w.from.toISOString()).toBe('2026-02-28T15:00:00.000Z');
    expect(w.to.toISOString()).toBe('2026-03-02T15:00:00.000Z');
  });
  it('the last 7 days include today and the 6 days before', () => {
    const w = lastSevenDays(new Date('2026-03-10T16:00:00Z')); // 11 March 01:00 in Seoul
    expect(w.from.toISOString()).toBe('2026-03-04T15:00:00.000Z');
    expect(w.to.toISOString()).toBe('2026-03-11T15:00:00.000Z');
  });
  it('only real dates parse', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-1', 'yesterday', '2024-01-01T00:00']) expect(parseDate(bad)).toBeNull();
  });
});
