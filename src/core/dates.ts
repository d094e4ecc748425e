// Strict ISO-8601 input dates: JavaScript's Date rolls impossible values over (2024-02-30 becomes
// 2024-03-01, 25:00 the next day), so a client's typo silently moved a filter. Every component is
// checked against the calendar before the value is read; anything else is refused (issue 15 #10).

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/i;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** true for a real calendar date 'YYYY-MM-DD' (years 0001–9999) */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Parses 'YYYY-MM-DD', or a date and time 'YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]' (a space for
 * the T is accepted). Without a zone the time is read as Date.parse reads it (a date alone: UTC
 * midnight). Returns null for anything that is not a real instant as written.
 */
export function parseIsoDateTime(input: string): Date | null {
  if (input.length > 40) return null;
  const m = DATE_TIME.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, , zone, zh, zm] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return null;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59))) return null;
  if (zone && zone.toUpperCase() !== 'Z' && (Number(zh) > 23 || Number(zm) > 59)) return null;
  const t = Date.parse(input.trim().replace(' ', 'T'));
  return Number.isNaN(t) ? null : new Date(t);
}
