// The read-only pages: the 12 animals, the 7-day leaderboard, my history (10 a page), challenges
// and statistics (bar charts).
import { api, call } from '../../api/client';
import { useSession } from '../../api/tokens';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLoad } from '../../components/hooks';
import { formatDate, useLang, useT } from '../../i18n';
import { navigate, useLocation } from '../../router';
import { zText } from './text';

const useUuid = () => String(useSession('zodiac')?.user?.uuid ?? '');

export function Animals() {
  const t = useT(zText);
  const list = useLoad(() => call(api.GET('/zodiac/api/v1/animals/animallist')), []);
  return (
    <>
      <ErrorMessage error={list.error} />
      <ul className="cards" data-testid="z-animals">
        {list.data?.map((a) => (
          <li key={a.id} className="card">
            <h2>
              <img src={a.great_url} alt="" width={40} height={40} /> {a.name_ko}
            </h2>
            <p className="muted">
              {t('element')}: {a.element}
            </p>
            <p>{a.description}</p>
            <p>
              <strong>{t('today')}:</strong> {a.today.text}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

export function Rank() {
  const t = useT(zText);
  const lang = useLang();
  const rank = useLoad(() => call(api.GET('/zodiac/api/v1/animals/rank')), []);
  return (
    <div className="table-wrap">
      <ErrorMessage error={rank.error} />
      <table data-testid="z-rank">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('user')}</th>
            <th scope="col">{t('animal')}</th>
            <th scope="col">%</th>
            <th scope="col">{t('when')}</th>
          </tr>
        </thead>
        <tbody>
          {rank.data?.map((r) => (
            <tr key={`${r.place}-${r.alias}`}>
              <td>{r.place}</td>
              <td>{r.alias}</td>
              <td>{r.name_ko}</td>
              <td>{Math.round(r.similarity * (r.similarity <= 1 ? 100 : 1))}</td>
              <td>{formatDate(r.created_at, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rank.data?.length === 0 && <p>{t('none')}</p>}
    </div>
  );
}

export function History() {
  const t = useT(zText);
  const lang = useLang();
  const uuid = useUuid();
  const { query } = useLocation();
  const page = Math.max(1, Number(query.get('page')) || 1);
  const items = useLoad(
    () => call(api.GET('/zodiac/api/users/{user_id}/pages/{page_number}', { params: { path: { user_id: uuid, page_number: String(page) } } })),
    [uuid, page],
  );
  return (
    <>
      <ErrorMessage error={items.error} />
      <ul className="cards" data-testid="z-history">
        {items.data?.map((h) => (
          <li key={h.id} className="card">
            <img src={h.thumbnail_url} alt={t('photoAlt', { when: formatDate(h.created_at, lang) })} width={120} />
            <p>{h.results.map((r) => `${r.rank}. ${r.name_ko}`).join(' · ')}</p>
          </li>
        ))}
      </ul>
      {items.data?.length === 0 && <p>{t('none')}</p>}
      <nav className="paginator" aria-label={t('history')}>
        <button type="button" disabled={page <= 1} onClick={() => navigate(`/zodiac/history?page=${page - 1}`)}>
          ‹ {t('prev')}
        </button>
        <span>{t('page', { page })}</span>
        <button type="button" disabled={(items.data?.length ?? 0) < 10} onClick={() => navigate(`/zodiac/history?page=${page + 1}`)}>
          {t('next')} ›
        </button>
      </nav>
    </>
  );
}

export function Challenges() {
  const t = useT(zText);
  const uuid = useUuid();
  const all = useLoad(() => call(api.GET('/zodiac/api/challenges')), []);
  const mine = useLoad(() => call(api.GET('/zodiac/api/users/{user_id}/challenges', { params: { path: { user_id: uuid } } })), [uuid]);
  const done = new Set(mine.data?.map((c) => c.challenge_id));
  return (
    <>
      <ErrorMessage error={all.error ?? mine.error} />
      <ul className="cards" data-testid="z-challenges">
        {all.data?.map((c) => (
          <li key={c.id} className="card">
            <p>{c.content}</p>
            <span className="badge">{done.has(c.id) ? `✔ ${t('achieved')}` : t('notAchieved')}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

function Bars({ title, rows, id }: { title: string; rows: Array<{ kind: string; name_ko: string; cnt: number }>; id: string }) {
  const t = useT(zText);
  const max = Math.max(1, ...rows.map((r) => r.cnt));
  return (
    <figure className="panel chart" aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      {rows.length === 0 && <p>{t('none')}</p>}
      <dl>
        {rows.map((r) => (
          <div key={r.kind} className="chart-row">
            <dt>{r.name_ko}</dt>
            <dd>
              <div className="bar" aria-hidden="true">
                <span style={{ width: `${(r.cnt / max) * 100}%` }} />
              </div>
              {t('count', { n: r.cnt })}
            </dd>
          </div>
        ))}
      </dl>
    </figure>
  );
}

export function Stats() {
  const t = useT(zText);
  const uuid = useUuid();
  const mine = useLoad(() => call(api.GET('/zodiac/api/users/{user_id}/statistics', { params: { path: { user_id: uuid } } })), [uuid]);
  const week = useLoad(() => call(api.GET('/zodiac/api/statistics/ranking')), []);
  return (
    <div className="grid2" data-testid="z-stats">
      <ErrorMessage error={mine.error ?? week.error} />
      {mine.data && <Bars id="z-stat-mine" title={t('myTop')} rows={mine.data} />}
      {week.data && <Bars id="z-stat-week" title={t('weekTop')} rows={week.data} />}
    </div>
  );
}
