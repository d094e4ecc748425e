// igemoji: account, the template gallery with compositing, creating a template, top 3, my page.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { tokens, useSession } from '../../api/tokens';
import { AuthModeActions } from '../../components/AuthModeActions';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction } from '../../components/hooks';
import { useT } from '../../i18n';
import { useLocation } from '../../router';
import { Create } from './Create';
import { Gallery } from './Gallery';
import { MyPage, Top3 } from './Mine';
import { igText, type IgKey } from './text';
import { TabNav } from '../../components/SectionNav';

const TABS: Array<[string, IgKey, boolean]> = [
  ['', 'gallery', false],
  ['create', 'create', true],
  ['top3', 'top3', false],
  ['mypage', 'mypage', true],
];
const str = (f: FormData, k: string) => String(f.get(k) ?? '');

function Account() {
  const t = useT(igText);
  const [mode, setMode] = useState<'login' | 'signup'>('login');
  const action = useAction(async (f: FormData) => {
    const email = str(f, 'email');
    const password = str(f, 'password');
    if (mode === 'signup') await call(api.POST('/igemoji/api/v1/users/', { body: { email, password, alias: str(f, 'alias') } }));
    const pair = await call(api.POST('/igemoji/api/v1/users/auth', { body: { email, password } }));
    tokens.set('igemoji', { access: pair.access_token, refresh: pair.refresh_token, user: { email } });
    const me = await call(api.GET('/igemoji/api/v1/users/auth'));
    tokens.set('igemoji', { access: pair.access_token, refresh: pair.refresh_token, user: { id: me.id, alias: me.alias } });
  });
  return (
    <form
      className="stack panel"
      aria-labelledby="ig-account-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(new FormData(e.currentTarget));
      }}
    >
      <h2 id="ig-account-title">{mode === 'login' ? t('login') : t('signup')}</h2>
      <ErrorMessage error={action.error} />
      <Field label={t('email')} name="email" type="email" autoComplete="email" error={action.error} />
      <Field label={t('password')} name="password" type="password" error={action.error} />
      {mode === 'signup' && <Field label={t('alias')} name="alias" error={action.error} />}
      <AuthModeActions mode={mode} setMode={setMode} pending={action.pending} labels={{ login: t('login'), signup: t('signup') }} />
    </form>
  );
}

export default function IgemojiSection() {
  const t = useT(igText);
  const session = useSession('igemoji');
  const { path } = useLocation();
  const sub = path.split('/')[2] ?? '';
  const needsLogin = TABS.find(([slug]) => slug === sub)?.[2] ?? false;
  let page;
  if (needsLogin && !session) page = <Account />;
  else if (sub === 'create') page = <Create />;
  else if (sub === 'top3') page = <Top3 />;
  else if (sub === 'mypage') page = <MyPage />;
  else page = <Gallery />;
  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="lead">{t('intro')}</p>
      <div className="actions">
        {session ? (
          <>
            <span>{String(session.user?.alias ?? '')}</span>
            <button type="button" className="secondary" onClick={() => tokens.set('igemoji', null)}>
              {t('logout')}
            </button>
          </>
        ) : (
          !needsLogin && <Account />
        )}
      </div>
      <TabNav label={t('tabs')} base="/igemoji" current={sub} tabs={TABS.map(([slug, key]) => [slug, t(key)] as const)} />
      {page}
    </section>
  );
}
