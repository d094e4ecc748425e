// The neighbourhood board: category chips, ten posts a page with the server's ten-page block,
// and beside it the weather card and the menu recommendations.
import { api, call } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLoad } from '../../components/hooks';
import { PageLinks } from '../../components/Paginator';
import { formatDate, useLang, useT } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { Extras } from './Extras';
import { mbText } from './text';
import { CATEGORIES } from './types';

export function BoardPage() {
  const t = useT(mbText);
  const lang = useLang();
  const { query } = useLocation();
  const category = query.get('category') ?? '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  const board = useLoad(
    () => call(api.GET('/mealbuddy/api/post/', { params: { query: { page: String(page), ...(category ? { category } : {}) } } })),
    [page, category],
  );
  const go = (c: string, p: number) => {
    const q = new URLSearchParams();
    if (c) q.set('category', c);
    if (p > 1) q.set('page', String(p));
    navigate(`/mealbuddy${q.size ? `?${q.toString()}` : ''}`);
  };
  const pg = board.data?.paginator;
  return (
    <div className="grid2">
      <section aria-labelledby="mb-board-title">
        <h2 id="mb-board-title">{t('board')}</h2>
        <div className="chips" role="group" aria-label={t('categories')}>
          {['', ...CATEGORIES].map((c) => (
            <button type="button" key={c || 'all'} aria-pressed={c === category} onClick={() => go(c, 1)}>
              {c || t('all')}
            </button>
          ))}
        </div>
        <p>
          <Link to="/mealbuddy/write" className="button">
            {t('write')}
          </Link>
        </p>
        <ErrorMessage error={board.error} />
        {board.data && board.data.posts.length === 0 && <p>{t('noPosts')}</p>}
        <ul className="cards one-col" data-testid="posts">
          {board.data?.posts.map((p) => (
            <li key={p.id} className="card">
              <h3>
                <Link to={`/mealbuddy/posts/${p.id}`}>{p.title}</Link>
              </h3>
              <p className="muted">
                <span className="badge">{p.category}</span> · {t('people', { join: p.join_number, target: p.target_number })} ·{' '}
                {p.is_compelete ? t('done') : t('open')} · {formatDate(p.created_at, lang)}
              </p>
            </li>
          ))}
        </ul>
        {pg && (
          <PageLinks numbers={pg.page_range} current={pg.current_page} prev={pg.prev_button} next={pg.next_button} onPage={(p) => go(category, p)} />
        )}
      </section>
      <Extras />
    </div>
  );
}
