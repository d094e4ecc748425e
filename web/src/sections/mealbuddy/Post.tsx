// Post detail (join, go to the chat, and for the writer: edit, close/reopen, delete) and the
// write/edit form.
import { api, call } from '../../api/client';
import { useSession } from '../../api/tokens';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, Select, TextArea } from '../../components/Field';
import { useAction, useLoad } from '../../components/hooks';
import { formatDate, useLang, useT } from '../../i18n';
import { Link, navigate } from '../../router';
import { mbText } from './text';
import { CATEGORIES, type Category, type Post } from './types';

const byId = (id: number) => ({ params: { path: { id } } });

export function PostDetail({ id }: { id: number }) {
  const t = useT(mbText);
  const lang = useLang();
  const me = useSession('mealbuddy')?.user?.id;
  const post = useLoad(() => call(api.GET('/mealbuddy/api/post/detail/{id}/', byId(id))), [id]);
  const act = useAction(async (what: 'join' | 'toggle' | 'delete') => {
    const p = post.data!;
    if (what === 'join') {
      await call(api.POST('/mealbuddy/api/chat/{id}/', byId(p.chat_id!)));
      navigate(`/mealbuddy/chat/${p.chat_id}`);
    } else if (what === 'toggle') {
      await call(api.POST('/mealbuddy/api/post/detail/{id}/edit/', { ...byId(id), body: { is_compelete: !p.is_compelete } }));
      post.reload();
    } else if (window.confirm(t('confirmDelete'))) {
      await call(api.POST('/mealbuddy/api/post/detail/{id}/delete/', byId(id)));
      navigate('/mealbuddy');
    }
  });
  const p = post.data;
  const mine = p && p.writer.id === me;
  return (
    <article className="panel" data-testid="post">
      <p>
        <Link to="/mealbuddy">{t('back')}</Link>
      </p>
      <ErrorMessage error={post.error ?? act.error} />
      {p && (
        <>
          <h2>{p.title}</h2>
          <p className="muted">
            <span className="badge">{p.category}</span> · {t('people', { join: p.join_number, target: p.target_number })} ·{' '}
            {p.is_compelete ? t('done') : t('open')}
          </p>
          <p className="muted">
            {t('writer')}: {p.writer.username} · {p.address} · {formatDate(p.created_at, lang)}
          </p>
          <p style={{ whiteSpace: 'pre-wrap' }}>{p.content}</p>
          <div className="actions">
            {p.is_joined && p.chat_id ? (
              <Link to={`/mealbuddy/chat/${p.chat_id}`} className="button">
                {t('toChat')}
              </Link>
            ) : (
              p.chat_id && (
                <button type="button" disabled={act.pending || p.is_compelete} onClick={() => void act.run('join')}>
                  {t('join')}
                </button>
              )
            )}
            {mine && (
              <>
                <Link to={`/mealbuddy/posts/${p.id}/edit`} className="button secondary">
                  {t('edit')}
                </Link>
                <button type="button" className="secondary" disabled={act.pending} onClick={() => void act.run('toggle')}>
                  {p.is_compelete ? t('reopen') : t('complete')}
                </button>
                <button type="button" className="danger" disabled={act.pending} onClick={() => void act.run('delete')}>
                  {t('delete')}
                </button>
              </>
            )}
          </div>
        </>
      )}
    </article>
  );
}

export function PostForm({ id }: { id?: number }) {
  const t = useT(mbText);
  const existing = useLoad<Post | null>(async () => (id ? call(api.GET('/mealbuddy/api/post/detail/{id}/', byId(id))) : null), [id]);
  const save = useAction(async (f: FormData) => {
    const body = {
      title: String(f.get('title') ?? ''),
      category: String(f.get('category') ?? '') as Category,
      content: String(f.get('content') ?? ''),
      target_number: Number(f.get('target_number') ?? 0),
    };
    const saved = id
      ? await call(api.POST('/mealbuddy/api/post/detail/{id}/edit/', { ...byId(id), body }))
      : await call(api.POST('/mealbuddy/api/post/write/', { body }));
    navigate(`/mealbuddy/posts/${saved.id}`, { replace: true });
  });
  if (id && !existing.data) return <ErrorMessage error={existing.error} />;
  const p = existing.data;
  return (
    <form
      className="stack panel"
      aria-labelledby="mb-form-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save.run(new FormData(e.currentTarget));
      }}
    >
      <h2 id="mb-form-title">{id ? t('edit') : t('write')}</h2>
      <ErrorMessage error={save.error} />
      <Field label={t('postTitle')} name="title" maxLength={30} defaultValue={p?.title} error={save.error} />
      <Select label={t('category')} name="category" defaultValue={p?.category ?? '치킨'} error={save.error}>
        {CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </Select>
      <Field label={t('target')} name="target_number" type="number" min={2} max={10} defaultValue={p?.target_number ?? 4} error={save.error} />
      <TextArea label={t('content')} name="content" rows={6} defaultValue={p?.content} error={save.error} />
      <div className="actions">
        <button type="submit" disabled={save.pending}>
          {t('save')}
        </button>
        <Link to={id ? `/mealbuddy/posts/${id}` : '/mealbuddy'}>{t('back')}</Link>
      </div>
    </form>
  );
}
