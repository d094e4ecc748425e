// auth: sign up, log in, my account (with the token checker), log out.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { tokens, useSession } from '../../api/tokens';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction } from '../../components/hooks';
import { useT } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { Account } from './Account';
import { authText } from './text';

export default function AuthSection() {
  const t = useT(authText);
  const { path } = useLocation();
  const session = useSession('auth');
  const sub = path.split('/')[2] ?? '';
  const [notice, setNotice] = useState('');
  let body;
  if (sub === 'signup') body = <SignupForm onDone={() => setNotice(t('signedUp'))} />;
  else if (session && (sub === '' || sub === 'me')) body = <Account onLoggedOut={() => setNotice(t('loggedOut'))} />;
  else body = <LoginForm />;
  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="lead">{t('intro')}</p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {body}
    </section>
  );
}

async function logIn(username: string, password: string): Promise<void> {
  const pair = await call(api.POST('/auth/api/login/', { body: { username, password } }));
  tokens.set('auth', { access: pair.token, refresh: pair.refresh, user: { username } });
}

function LoginForm() {
  const t = useT(authText);
  const action = useAction(async (form: FormData) => {
    await logIn(String(form.get('username') ?? ''), String(form.get('password') ?? ''));
    navigate('/auth/me', { replace: true });
  });
  return (
    <form
      className="stack panel"
      aria-labelledby="auth-login-title"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(new FormData(e.currentTarget));
      }}
    >
      <h2 id="auth-login-title">{t('login')}</h2>
      <ErrorMessage error={action.error} />
      <Field label={t('username')} name="username" autoComplete="username" required error={action.error} />
      <Field label={t('password')} name="password" type="password" autoComplete="current-password" required error={action.error} />
      <div className="actions">
        <button type="submit" disabled={action.pending}>
          {t('login')}
        </button>
      </div>
      <p>
        {t('noAccount')} <Link to="/auth/signup">{t('signup')}</Link>
      </p>
    </form>
  );
}

function SignupForm({ onDone }: { onDone: () => void }) {
  const t = useT(authText);
  const action = useAction(async (form: FormData) => {
    const body = {
      username: String(form.get('username') ?? ''),
      password: String(form.get('password') ?? ''),
      nickname: String(form.get('nickname') ?? ''),
    };
    await call(api.POST('/auth/api/signup/', { body }));
    await logIn(body.username, body.password);
    onDone();
    navigate('/auth/me', { replace: true });
  });
  return (
    <form
      className="stack panel"
      aria-labelledby="auth-signup-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(new FormData(e.currentTarget));
      }}
    >
      <h2 id="auth-signup-title">{t('signup')}</h2>
      <ErrorMessage error={action.error} />
      <Field label={t('username')} name="username" autoComplete="username" maxLength={150} error={action.error} />
      <Field label={t('password')} name="password" type="password" autoComplete="new-password" hint={t('passwordHint')} error={action.error} />
      <Field label={t('nickname')} name="nickname" autoComplete="nickname" maxLength={128} error={action.error} />
      <div className="actions">
        <button type="submit" disabled={action.pending}>
          {t('signup')}
        </button>
      </div>
      <p>
        {t('haveAccount')} <Link to="/auth/login">{t('login')}</Link>
      </p>
    </form>
  );
}
