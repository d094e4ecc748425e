// zodiac: account, photo analysis, the 12 animals, leaderboard, history, challenges, statistics.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { tokens, useSession } from '../../api/tokens';
import { AuthModeActions } from '../../components/AuthModeActions';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction } from '../../components/hooks';
import { useT } from '../../i18n';
import { useLocation } from '../../router';
import { Analyze } from './Analyze';
import { Animals, Challenges, History, Rank, Stats } from './Browse';
import { zText, type ZKey } from './text';
import { SessionBar, TabNav } from '../../components/SectionNav';

const TABS: Array<[string, ZKey]> = [
  ['', 'analyze'],
  ['animals', 'animals'],
  ['rank', 'rank'],
  ['history', 'history'],
  ['challenges', 'challenges'],
  ['stats', 'stats'],
];
const PAGES: Record<string, () => React.JSX.Element> = { '': Analyze, animals: Animals, rank: Rank, history: History, challenges: Challenges, stats: Stats };
const str = (f: FormData, k: string) => String(f.get(k) ?? '');

function Account() {
  const t = useT(zText);
  const [mode, setMode] = useState<'login' | 'signup'>('login');
  const login = async (username: string, password: string) => {
    const r = await call(api.POST('/zodiac/api/users/auth', { body: { username, password } }));
    tokens.set('zodiac', { access: r.access_token, refresh: r.refresh_token, user: { uuid: r.uuid, alias: r.alias ?? username } });
  };
  const action = useAction(async (f: FormData) => {
    if (mode === 'signup') {
      const body = { username: str(f, 'username'), password: str(f, 'password'), email: str(f, 'email'), alias: str(f, 'alias') };
      await call(api.POST('/zodiac/api/users/', { body }));
    }
    await login(str(f, 'username'), str(f, 'password'));
  });
  return (
    <form
      className="stack panel"
      aria-labelledby="z-account-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(new FormData(e.currentTarget));
      }}
    >
      <h2 id="z-account-title">{mode === 'login' ? t('login') : t('signup')}</h2>
      <ErrorMessage error={action.error} />
      <Field label={t('username')} name="username" autoComplete="username" error={action.error} />
      <Field label={t('password')} name="password" type="password" error={action.error} />
      {mode === 'signup' && (
        <>
          <Field label={t('email')} name="email" type="email" error={action.error} />
          <Field label={t('alias')} name="alias" error={action.error} />
        </>
      )}
      <AuthModeActions mode={mode} setMode={setMode} pending={action.pending} labels={{ login: t('login'), signup: t('signup') }} />
    </form>
  );
}

export default function ZodiacSection() {
  const t = useT(zText);
  const session = useSession('zodiac');
  const { path } = useLocation();
  const sub = path.split('/')[2] ?? '';
  const Page = PAGES[sub] ?? Analyze;
  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="lead">{t('intro')}</p>
      {!session ? (
        <Account />
      ) : (
        <>
          <SessionBar label={String(session.user?.alias ?? '')} logoutLabel={t('logout')} onLogout={() => tokens.set('zodiac', null)} />
          <TabNav label={t('tabs')} base="/zodiac" current={sub} tabs={TABS.map(([slug, key]) => [slug, t(key)] as const)} />
          <Page />
        </>
      )}
    </section>
  );
}
