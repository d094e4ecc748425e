// AppError carries a stable code and an HTTP status; the message is looked up in the i18n
// catalogue by code at reply time, so services never deal with languages.
import type { FieldRule } from './i18n/fields.js';

export type FieldErrors = Record<string, FieldRule[]>;

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly fields?: FieldErrors,
    /** extra top-level properties merged into the error body (e.g. legacy numeric codes) */
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const notFound = (code = 'NOT_FOUND') => new AppError(code, 404);
export const forbidden = (code = 'FORBIDDEN') => new AppError(code, 403);
export const conflict = (code = 'CONFLICT', fields?: FieldErrors) => new AppError(code, 409, fields);
export const unauthorized = (code: 'TOKEN_NOT_FOUND' | 'TOKEN_EXPIRED' | 'INVALID_TOKEN' | string) =>
  new AppError(code, 401);
export const validation = (fields: FieldErrors, code = 'VALIDATION_ERROR') => new AppError(code, 400, fields);
export const unavailable = (code = 'SERVICE_UNAVAILABLE') => new AppError(code, 503);

/** Postgres unique violation (23505), as raised by node-postgres and PGlite alike. */
export function isUniqueViolation(err: unknown): err is { constraint?: string; detail?: string } {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    if ((e as { code?: string }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function uniqueConstraintOf(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const c = e as { code?: string; constraint?: string; detail?: string; message?: string };
    if (c.code === '23505') return `${c.constraint ?? ''} ${c.detail ?? ''} ${c.message ?? ''}`;
    e = (e as { cause?: unknown }).cause;
  }
  return '';
}
