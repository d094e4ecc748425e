// machines: accounts, my machines with live status and START/STOP, history.
import { api, call } from '../../api/client';
import { tokens, useSession } from '../../api/tokens';
import { useAction } from '../../components/hooks';
import { useT } from '../../i18n';
import { useLocation } from '../../router';
import { Accounts } from './Accounts';
import { Dashboard } from './Dashboard';
import { Floor } from './Floor';
import { History } from './History';
import { machinesText } from './text';
import { SessionBar } from '../../components/SectionNav';

export default function MachinesSection() {
  const t = useT(machinesText);
  const session = useSession('machines');
  const { path } = useLocation();
  const logout = useAction(async () => {
    try {
      await call(api.POST('/machines/api/log-out/', { body: { refresh: session?.refresh } }));
    } finally {
      tokens.set('machines', null);
    }
  });
  const sub = path.split('/')[2] ?? '';
  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="lead">{t('intro')}</p>
      {!session ? (
        <Accounts />
      ) : (
        <>
          <SessionBar
            label={t('hello', { name: String(session.user?.username ?? '') })}
            logoutLabel={t('logout')}
            pending={logout.pending}
            onLogout={() => void logout.run()}
          />
          {sub === 'history' ? <History /> : sub === 'floor' ? <Floor /> : <Dashboard />}
        </>
      )}
    </section>
  );
}
