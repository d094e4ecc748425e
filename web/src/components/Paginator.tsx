// Page links in blocks (1–10, 11–20, …) with previous/next block buttons, as the originals' boards
// show them. Pages are 1-based; nothing is shown for a single page.
import { defineText, useT } from '../i18n';

const text = defineText(
  { nav: '페이지', prev: '이전', next: '다음', page: '{page} 페이지' },
  { nav: 'Pages', prev: 'Previous', next: 'Next', page: 'Page {page}' },
);

export interface PaginatorProps {
  page: number;
  pages: number;
  onPage: (page: number) => void;
  /** how many page numbers one block shows */
  block?: number;
}

/** the page numbers of the block holding `page` */
export function pageBlock(page: number, pages: number, block: number): number[] {
  const last = Math.max(1, pages);
  const current = Math.min(Math.max(1, page), last);
  const start = Math.floor((current - 1) / block) * block + 1;
  const end = Math.min(last, start + block - 1);
  return Array.from({ length: Math.max(0, end - start + 1) }, (_, i) => start + i);
}

export function Paginator({ page, pages, onPage, block = 10 }: PaginatorProps) {
  if (pages <= 1) return null;
  const numbers = pageBlock(page, pages, block);
  const first = numbers[0] ?? 1;
  const last = numbers[numbers.length - 1] ?? 1;
  return <PageLinks numbers={numbers} current={page} prev={first > 1 ? first - 1 : null} next={last < pages ? last + 1 : null} onPage={onPage} />;
}

export interface PageLinksProps {
  /** the page numbers to show (one block) */
  numbers: number[];
  current: number;
  /** where the previous/next block buttons go; null disables them */
  prev: number | null;
  next: number | null;
  onPage: (page: number) => void;
}

/** the links themselves, for boards whose server already computed the block (mealbuddy) */
export function PageLinks({ numbers, current, prev, next, onPage }: PageLinksProps) {
  const t = useT(text);
  if (numbers.length <= 1 && prev === null && next === null) return null;
  return (
    <nav className="paginator" aria-label={t('nav')}>
      <button type="button" disabled={prev === null} onClick={() => prev !== null && onPage(prev)}>
        ‹ {t('prev')}
      </button>
      {numbers.map((n) => (
        <button
          type="button"
          key={n}
          aria-label={t('page', { page: n })}
          aria-current={n === current ? 'page' : undefined}
          className={n === current ? 'current' : undefined}
          onClick={() => onPage(n)}
        >
          {n}
        </button>
      ))}
      <button type="button" disabled={next === null} onClick={() => next !== null && onPage(next)}>
        {t('next')} ›
      </button>
    </nav>
  );
}
