// My machines with live status: the list is loaded once, then kept current by the WebSocket
// (machine created/updated/deleted/status, run transitions), including changes made elsewhere.
import { useCallback, useState } from 'react';
import { api, call } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLoad } from '../../components/hooks';
import { useSocket } from '../../components/useSocket';
import { useT } from '../../i18n';
import { Link } from '../../router';
import { MachineCard } from './MachineCard';
import { MachineForm, type MachineInput } from './MachineForm';
import { machinesSocket } from './live';
import { machinesText } from './text';
import { newerRun, type Machine, type Run } from './types';

type LiveEvent =
  | { type: 'machine'; event: 'created' | 'updated' | 'deleted' | 'status'; machine: Machine }
  | { type: 'run'; run: Run }
  | { type: 'ready' | 'pong' };

export function Dashboard() {
  const t = useT(machinesText);
  const list = useLoad(async () => (await call(api.GET('/machines/api/machines/', { params: { query: { page_size: '1000' } } }))).result, []);
  const [runs, setRuns] = useState<Record<number, Run>>({});
  const [notice, setNotice] = useState('');
  const machines = list.data ?? [];
  const setMachines = list.set;

  const upsert = useCallback(
    (m: Machine) => setMachines((prev = []) => [...prev.filter((x) => x.id !== m.id), m].sort((a, b) => a.id - b.id)),
    [setMachines],
  );
  const drop = useCallback((id: number) => setMachines((prev = []) => prev.filter((x) => x.id !== id)), [setMachines]);
  const noteRun = useCallback((r: Run) => setRuns((prev) => ({ ...prev, [r.machine_id]: newerRun(prev[r.machine_id], r) })), []);

  const live = useSocket({
    ...machinesSocket,
    onMessage: (data) => {
      const ev = data as LiveEvent;
      if (ev.type === 'run') noteRun(ev.run);
      if (ev.type === 'machine') {
        if (ev.event === 'deleted') drop(ev.machine.id);
        else upsert(ev.machine);
      }
    },
    deps: [],
  });

  const create = async (input: MachineInput) => {
    const r = await call(api.POST('/machines/api/machines/', { body: input }));
    upsert(r.result);
  };

  const liveText = live.state === 'open' ? t('liveOpen') : live.state === 'connecting' ? t('liveConnecting') : t('liveClosed');
  return (
    <>
      <p className="muted" role="status" data-testid="live" data-state={live.state}>
        {t('live')}: {liveText}
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="grid2">
        <section aria-labelledby="machines-list-title">
          <h2 id="machines-list-title">{t('myMachines')}</h2>
          <ErrorMessage error={list.error} />
          {list.data && machines.length === 0 && <p>{t('none')}</p>}
          <ul className="cards one-col">
            {machines.map((m) => (
              <MachineCard
                key={m.id}
                machine={m}
                run={runs[m.id]}
                onChanged={upsert}
                onRun={noteRun}
                onDeleted={(id) => {
                  drop(id);
                  setNotice(t('deleted'));
                }}
              />
            ))}
          </ul>
          <p>
            <Link to="/machines/history">{t('history')}</Link> · <Link to="/machines/floor">{t('floor')}</Link>
          </p>
        </section>
        <div className="panel">
          <MachineForm title={t('create')} onSubmit={create} />
        </div>
      </div>
    </>
  );
}
