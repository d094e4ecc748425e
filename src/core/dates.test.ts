import { describe, expect, it } from 'vitest';
import { parseIsoDateTime } from './dates.js';

describe('parseIsoDateTime (issue 15 #10)', () => {
  it('reads real dates and date-times', () => {
    expect(parseIsoDateTime('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseIsoDateTime('2024-03-01T10:20:30Z')?.toISOString()).toBe('2024-03-01T10:20:30.000Z');
    expect(parseIsoDateTime('2024-03-01T10:20:30.123+09:00')?.toISOString()).toBe('2024-03-01T01:20:30.123Z');
    expect(parseIsoDateTime('2024-03-01 10:20Z')?.toISOString()).toBe('2024-03-01T10:20:00.000Z');
    expect(parseIsoDateTime(new Date(1_700_000_000_000).toISOString())?.getTime()).toBe(1_700_000_000_000);
  });

  it('refuses what Date would roll over or guess', () => {
    for (const bad of [
      '2024-02-30', '2023-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '0000-01-01',
      '2024-03-01T24:00', '2024-03-01T10:60', '2024-03-01T10:00:60', '2024-03-01T10:00+25:00',
      'yesterday', '2024/03/01', 'March 1, 2024', '1709251200000', '2024-3-1', '', ' ', '2024-03-01T', `2024-03-01${'0'.repeat(50)}`,
    ]) {
      expect(parseIsoDateTime(bad), bad).toBeNull();
    }
  });
});
