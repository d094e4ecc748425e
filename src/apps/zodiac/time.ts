// Calendar arithmetic in Asia/Seoul. Korea keeps UTC+9 all year (no daylight saving since 1988),
// so a Seoul date maps to a fixed UTC interval and no time-zone database is needed.
const OFFSET_MS = 9 * 3600_000;
const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' of the instant in Seoul */
export function seoulDateOf(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Parses a real calendar date ('2024-02-30' is refused); null when invalid. */
export function parseDate(s: string): string | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s ? s : null;
}

/** the instant Seoul's day `date` begins */
export function seoulMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export interface Window {
  from: Date;
  to: Date;
}

/** [from 00:00, to + 1 day 00:00) in Seoul */
export function periodWindow(fromDate: string, toDate: string): Window {
  return { from: seoulMidnight(fromDate), to: seoulMidnight(addDays(toDate, 1)) };
}

/** the last 7 Seoul calendar days, today included */
export function lastSevenDays(now: Date): Window {
  const today = seoulDateOf(now);
  return periodWindow(addDays(today, -6), today);
}
