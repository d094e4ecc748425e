// Page-number pagination helpers: every page number and size is clamped, never trusted.
export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

export function pageRequest(page: unknown, pageSize: unknown, defaults: { size: number; max: number }): PageRequest {
  const p = clampInt(page, 1, 1, 1_000_000);
  const s = clampInt(pageSize, defaults.size, 1, defaults.max);
  return { page: p, pageSize: s, offset: (p - 1) * s };
}

export function clampInt(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

export function totalPages(count: number, pageSize: number): number {
  return Math.max(1, Math.ceil(count / pageSize));
}
