// The week's top 3 templates and my page (my results, my templates).
import { api, call } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLoad } from '../../components/hooks';
import { useT } from '../../i18n';
import { igText } from './text';

export function Top3() {
  const t = useT(igText);
  const top = useLoad(() => call(api.GET('/igemoji/api/v1/emojis/top3')), []);
  return (
    <>
      <ErrorMessage error={top.error} />
      <ol className="cards" data-testid="ig-top3">
        {top.data?.map((e) => (
          <li key={e.id} className="card">
            <img src={e.image} alt={e.name} width={96} height={96} />
            <h3>{e.name}</h3>
            <p className="muted">
              {t('by', { alias: e.user })} · {t('uses', { n: e.cnt })}
            </p>
          </li>
        ))}
      </ol>
      {top.data?.length === 0 && <p>{t('none')}</p>}
    </>
  );
}

function MyList({ which, title }: { which: 'result' | 'upload'; title: string }) {
  const t = useT(igText);
  const list = useLoad(() => call(api.GET('/igemoji/api/v1/users/mypage/{case}', { params: { path: { case: which }, query: {} } })), [which]);
  return (
    <section className="panel" aria-label={title} data-testid={`ig-my-${which}`}>
      <h2>{title}</h2>
      <ErrorMessage error={list.error} />
      <ul>
        {list.data?.map((item) => {
          const image = (item as { image?: unknown }).image;
          const src = typeof image === 'string' ? image : Array.isArray(image) && typeof image[0] === 'string' ? image[0] : null;
          return (
            <li key={item.id}>
              {src && <img src={src} alt={item.name} width={64} height={64} />} {item.name}
            </li>
          );
        })}
      </ul>
      {list.data?.length === 0 && <p>{t('none')}</p>}
    </section>
  );
}

export function MyPage() {
  const t = useT(igText);
  return (
    <div className="grid2">
      <MyList which="result" title={t('myResults')} />
      <MyList which="upload" title={t('myTemplates')} />
    </div>
  );
}
