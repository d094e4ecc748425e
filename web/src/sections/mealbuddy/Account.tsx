// Log in with email, or sign up with an address and, if the browser allows, the coordinates
// ("use my location") that place the user in a neighbourhood and a weather grid.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { tokens } from '../../api/tokens';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction } from '../../components/hooks';
import { useT } from '../../i18n';
import { mbText } from './text';

type User = { id: number; username: string; email: string; address: string; token: string };
const keep = (u: User) => tokens.set('mealbuddy', { access: u.token, user: { id: u.id, username: u.username, address: u.address } });
const str = (f: FormData, k: string) => String(f.get(k) ?? '');

export function Account() {
  const t = useT(mbText);
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [point, setPoint] = useState<{ lat: number; lon: number } | null>(null);
  const [where, setWhere] = useState('');
  const login = useAction(async (f: FormData) => {
    keep((await call(api.POST('/mealbuddy/api/user/login/', { body: { email: str(f, 'email'), password: str(f, 'password') } }))).user);
  });
  const register = useAction(async (f: FormData) => {
    const body = {
      email: str(f, 'email'),
      username: str(f, 'username'),
      password: str(f, 'password'),
      password2: str(f, 'password2'),
      address: str(f, 'address'),
      ...(point ?? {}),
    };
    keep((await call(api.POST('/mealbuddy/api/user/register/', { body }))).user);
  });
  const locate = () => {
    if (!navigator.geolocation) return setWhere(t('noLocation'));
    navigator.geolocation.getCurrentPosition(
      (p) => {
        const lat = Math.round(p.coords.latitude * 1e6) / 1e6;
        const lon = Math.round(p.coords.longitude * 1e6) / 1e6;
        setPoint({ lat, lon });
        setWhere(t('located', { lat, lon }));
      },
      () => setWhere(t('noLocation')),
      { timeout: 10_000 },
    );
  };
  const action = mode === 'login' ? login : register;
  return (
    <form
      className="stack panel"
      aria-labelledby="mb-account-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(new FormData(e.currentTarget));
      }}
    >
      <h2 id="mb-account-title">{mode === 'login' ? t('login') : t('register')}</h2>
      <ErrorMessage error={action.error} />
      <Field label={t('email')} name="email" type="email" autoComplete="email" error={action.error} />
      {mode === 'register' && <Field label={t('username')} name="username" autoComplete="nickname" error={action.error} />}
      <Field label={t('password')} name="password" type="password" autoComplete={mode === 'login' ? 'current-password' : 'new-password'} error={action.error} />
      {mode === 'register' && (
        <>
          <Field label={t('password2')} name="password2" type="password" autoComplete="new-password" error={action.error} />
          <Field label={t('address')} name="address" autoComplete="street-address" error={action.error} errorFor={['lat', 'lon']} />
          <div className="actions">
            <button type="button" className="secondary" onClick={locate}>
              {t('useLocation')}
            </button>
          </div>
          {where && (
            <p role="status" className="muted">
              {where}
            </p>
          )}
        </>
      )}
      <div className="actions">
        <button type="submit" disabled={action.pending}>
          {mode === 'login' ? t('login') : t('register')}
        </button>
        <button type="button" className="secondary" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
          {mode === 'login' ? t('register') : t('login')}
        </button>
      </div>
    </form>
  );
}
