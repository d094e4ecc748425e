// My account (GET /api/me/ through the refreshing client), log out, and the token checker that
// shows the three token errors in words.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import { tokens, useSession } from '../../api/tokens';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useAction, useLoad } from '../../components/hooks';
import { formatDate, useLang, useT } from '../../i18n';
import { authText } from './text';

export function Account({ onLoggedOut }: { onLoggedOut: () => void }) {
  const t = useT(authText);
  const lang = useLang();
  const session = useSession('auth');
  const me = useLoad(() => call(api.GET('/auth/api/me/')), [session?.access]);
  const logout = useAction(async () => {
    try {
      await call(api.POST('/auth/api/logout/'));
    } finally {
      tokens.set('auth', null);
    }
    onLoggedOut();
  });
  return (
    <div className="grid2">
      <div className="panel">
        <h2>{t('me')}</h2>
        <ErrorMessage error={me.error} />
        {me.data && (
          <dl className="facts" data-testid="auth-me">
            <dt>{t('id')}</dt>
            <dd>{me.data.id}</dd>
            <dt>{t('username')}</dt>
            <dd>{me.data.username}</dd>
            <dt>{t('nickname')}</dt>
            <dd>{me.data.nickname}</dd>
            <dt>{t('createdAt')}</dt>
            <dd>{formatDate(me.data.created_at, lang)}</dd>
            <dt>{t('lastLogin')}</dt>
            <dd>{formatDate(me.data.last_login, lang)}</dd>
          </dl>
        )}
        <div className="actions">
          <button type="button" className="secondary" disabled={logout.pending} onClick={() => void logout.run()}>
            {t('logout')}
          </button>
        </div>
      </div>
      <TokenCheck />
    </div>
  );
}

function TokenCheck() {
  const t = useT(authText);
  const session = useSession('auth');
  const [token, setToken] = useState('');
  const [result, setResult] = useState('');
  const check = useAction(async (value: string) => {
    setResult('');
    // the token under test goes in the body; an empty Authorization header keeps the client from
    // attaching the session's own token, which the server would check instead of an empty body
    const r = await call(api.POST('/auth/api/verify/', { body: { token: value || null }, headers: { authorization: '' } }));
    setResult(r.message);
  });
  const err = check.error instanceof ApiError ? check.error : null;
  const explain = err && ['TOKEN_NOT_FOUND', 'TOKEN_EXPIRED', 'INVALID_TOKEN'].includes(err.code) ? err.code : null;
  return (
    <form
      className="stack panel"
      aria-labelledby="auth-verify-title"
      onSubmit={(e) => {
        e.preventDefault();
        void check.run(token.trim());
      }}
    >
      <h2 id="auth-verify-title">{t('verifyTitle')}</h2>
      <p className="muted">{t('verifyIntro')}</p>
      <Field label={t('token')} name="token" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" spellCheck={false} />
      <div className="actions">
        <button type="submit" disabled={check.pending}>
          {t('verify')}
        </button>
        {session && (
          <button type="button" className="secondary" onClick={() => setToken(session.access)}>
            {t('useMine')}
          </button>
        )}
      </div>
      {result && (
        <p className="notice" role="status" data-testid="verify-result">
          {result}
        </p>
      )}
      <ErrorMessage error={check.error} />
      {explain && <p data-testid="verify-explain">{t(`explain${explain}` as 'explainTOKEN_EXPIRED')}</p>}
    </form>
  );
}
