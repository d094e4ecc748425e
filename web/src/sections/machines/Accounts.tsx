// Log in or sign up to the machines app (its own users); both answers carry the token pair.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { tokens } from '../../api/tokens';
import { AuthModeActions } from '../../components/AuthModeActions';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction } from '../../components/hooks';
import { useT } from '../../i18n';
import { machinesText } from './text';

type Session = { user: { id: number; username: string }; token: { access: string; refresh: string } };

function keep(s: Session) {
  tokens.set('machines', { access: s.token.access, refresh: s.token.refresh, user: { id: s.user.id, username: s.user.username } });
}

const str = (f: FormData, k: string) => String(f.get(k) ?? '');

export function Accounts() {
  const t = useT(machinesText);
  const [mode, setMode] = useState<'login' | 'signup'>('login');
  const login = useAction(async (f: FormData) => {
    const r = await call(api.POST('/machines/api/log-in/', { body: { username: str(f, 'username'), password: str(f, 'password') } }));
    keep(r.result);
  });
  const signup = useAction(async (f: FormData) => {
    const body = { username: str(f, 'username'), password: str(f, 'password'), email: str(f, 'email'), first_name: str(f, 'first_name') };
    keep((await call(api.POST('/machines/api/sign-up/', { body }))).result);
  });
  const action = mode === 'login' ? login : signup;
  return (
    <form
      className="stack panel"
      aria-labelledby="machines-account-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(new FormData(e.currentTarget));
      }}
    >
      <h2 id="machines-account-title">{mode === 'login' ? t('login') : t('signup')}</h2>
      <ErrorMessage error={action.error} />
      <Field label={t('username')} name="username" autoComplete="username" error={action.error} />
      <Field
        label={t('password')}
        name="password"
        type="password"
        autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
        error={action.error}
      />
      {mode === 'signup' && (
        <>
          <Field label={t('email')} name="email" type="email" autoComplete="email" error={action.error} />
          <Field label={t('firstName')} name="first_name" autoComplete="given-name" error={action.error} />
        </>
      )}
      <AuthModeActions mode={mode} setMode={setMode} pending={action.pending} labels={{ login: t('login'), signup: t('signup') }} />
    </form>
  );
}
