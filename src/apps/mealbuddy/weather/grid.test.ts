import { describe, expect, it } from 'vitest';
import { baseTime, toGrid } from './grid.js';

// Seoul wall time → a Date (KST is UTC+9 all year)
const kst = (iso: string) => new Date(`${iso}+09:00`);

describe('KMA grid conversion (docs/apps/mealbuddy.md §8 test vectors)', () => {
  it.each([
    ['Seoul', 37.5665, 126.978, 60, 127],
    ['Jeju', 33.4996, 126.5312, 53, 38],
    ['Busan', 35.1796, 129.0756, 98, 76],
    ['origin', 38, 126, 43, 136],
  ])('%s (%f, %f) → (%i, %i)', (_name, lat, lon, nx, ny) => {
    expect(toGrid(lat, lon)).toEqual({ nx, ny });
  });
});

describe('base_date / base_time', () => {
  it.each([
    ['2026-11-23T03:30:00', '20261123', '0200'],
    ['2026-11-23T05:30:00', '20261123', '0500'],
    ['2026-11-23T10:00:00', '20261123', '0800'],
    ['2026-11-23T13:59:00', '20261123', '1100'],
    ['2026-11-23T22:15:00', '20261123', '2000'],
    ['2026-11-23T23:30:00', '20261123', '2300'],
    ['2026-11-23T00:30:00', '20261122', '2300'],
    ['2026-11-23T02:59:00', '20261122', '2300'],
  ])('%s → %s %s (docs/apps/mealbuddy.md §8 examples)', (at, date, time) => {
    expect(baseTime(kst(at))).toEqual({ base_date: date, base_time: time });
  });

  it('waits 10 minutes for a run to be published (the fix of §11.20)', () => {
    expect(baseTime(kst('2026-11-23T05:05:00'))).toEqual({ base_date: '20261123', base_time: '0200' });
    expect(baseTime(kst('2026-11-23T05:10:00'))).toEqual({ base_date: '20261123', base_time: '0500' });
    expect(baseTime(kst('2026-11-23T03:05:00'))).toEqual({ base_date: '20261122', base_time: '2300' });
  });

  it('crosses month and year boundaries in Seoul time, not UTC', () => {
    expect(baseTime(kst('2027-01-01T01:00:00'))).toEqual({ base_date: '20261231', base_time: '2300' });
    // 2026-11-22T15:30Z is already 00:30 on the 23rd in Seoul
    expect(baseTime(new Date('2026-11-22T15:30:00Z'))).toEqual({ base_date: '20261122', base_time: '2300' });
    expect(baseTime(new Date('2026-11-22T23:30:00Z'))).toEqual({ base_date: '20261123', base_time: '0800' });
  });
});
