// The original's page-button paginator (docs/apps/mealbuddy.md §5), with its intended clamping instead of the 500
// it raised for page 0, negative pages and pages past the end.
export const PAGE_SIZE = 10;

export interface Paginator {
  page_range: number[];
  current_page: number;
  prev_button: number | null;
  next_button: number | null;
}

/** Django's int(): optional sign, digits, surrounding blanks; anything else is page 1. */
export function parsePage(raw: unknown): number {
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw !== 'string' || !/^\s*[+-]?\d+\s*$/.test(raw)) return 1;
  const n = Number(raw);
  return Number.isFinite(n) ? n : 1;
}

export function paginate(rawPage: unknown, count: number, size = PAGE_SIZE): { offset: number; limit: number; paginator: Paginator } {
  const numPages = Math.max(1, Math.ceil(count / size));
  const page = Math.min(Math.max(parsePage(rawPage), 1), numPages);
  const right = Math.min(Math.max(page - 5, 1) + 9, numPages);
  const left = Math.max(right - 9, 1);
  const pageRange: number[] = [];
  for (let p = left; p <= right; p++) pageRange.push(p);
  return {
    offset: (page - 1) * size,
    limit: size,
    paginator: {
      page_range: pageRange,
      current_page: page,
      prev_button: page === 1 ? null : Math.max(page - 10, 1),
      next_button: page === numPages ? null : Math.min(page + 10, numPages),
    },
  };
}
