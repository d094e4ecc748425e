// Reading the originals' column values the same way from both drivers: MySQL gives booleans as
// 0/1, bcrypt hashes as BINARY bytes and Django's UUIDField as 32 hex digits (CHAR(32)).
import type { Row } from './source.js';

export function int(row: Row, col: string): number | null {
  const v = row[col];
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

export function num(row: Row, col: string): number | null {
  const v = row[col];
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function str(row: Row, col: string): string | null {
  const v = row[col];
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v.toString('utf8').replace(/\0+$/, '');
  return String(v);
}

export function bool(row: Row, col: string, fallback = false): boolean {
  const v = row[col];
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  if (Buffer.isBuffer(v)) return v.length > 0 && v[0] !== 0;
  return Number(v) !== 0;
}

export function date(row: Row, col: string): Date | null {
  const v = row[col];
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
}

const UUID_HEX = /^[0-9a-f]{32}$/;

/** a UUID in its dashed lower-case form, from Django's 32-hex CHAR(32) or a dashed string */
export function uuid(row: Row, col: string): string | null {
  const v = str(row, col);
  if (!v) return null;
  const hex = v.trim().toLowerCase().replace(/-/g, '');
  if (!UUID_HEX.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
