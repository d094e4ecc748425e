// One machine: live status, START/STOP with the run's progress, edit and delete.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useAction } from '../../components/hooks';
import { useT, type Translate } from '../../i18n';
import { Link } from '../../router';
import { MachineForm, type MachineInput } from './MachineForm';
import { machinesText, type MachinesKey } from './text';
import { commandAllowed, COMMANDS, isActive, type Machine, type Run } from './types';

interface Props {
  machine: Machine;
  run?: Run;
  onChanged: (m: Machine) => void;
  onRun: (r: Run) => void;
  onDeleted: (id: number) => void;
}

export function RunProgress({ run, t }: { run: Run; t: Translate<MachinesKey> }) {
  const step = run.state === 'pending' ? 1 : run.state === 'running' ? 2 : 3;
  const outcome = run.result ? ` · ${t(`result${run.result}` as MachinesKey)}` : '';
  return (
    <div className="run" data-testid={`run-${run.id}`} data-state={run.state}>
      <p id={`run-label-${run.id}`}>
        {t('run', { id: run.id, command: run.command })}: <strong>{t(`state${run.state}` as MachinesKey)}</strong>
        {outcome}
      </p>
      <progress aria-labelledby={`run-label-${run.id}`} max={3} value={step} />
    </div>
  );
}

export function MachineCard({ machine, run, onChanged, onRun, onDeleted }: Props) {
  const t = useT(machinesText);
  const [editing, setEditing] = useState(false);
  const operate = useAction(async (command: string) => {
    const r = await call(api.POST('/machines/api/machines/{id}/operation/', { params: { path: { id: machine.id } }, body: { command } }));
    onRun(r.result.run);
  });
  const remove = useAction(async () => {
    await call(api.DELETE('/machines/api/machines/{id}/', { params: { path: { id: machine.id } } }));
    onDeleted(machine.id);
  });
  const save = async (input: MachineInput) => {
    const r = await call(api.PUT('/machines/api/machines/{id}/', { params: { path: { id: machine.id } }, body: { ...input } }));
    onChanged(r.result);
    setEditing(false);
  };
  const busy = isActive(run);
  return (
    <li className="card" data-testid={`machine-${machine.id}`}>
      <h3>
        {machine.name}{' '}
        <span className="badge" data-testid="status" data-status={machine.status}>
          {t(`status${machine.status}` as MachinesKey)}
        </span>
      </h3>
      <p className="muted">{machine.location}</p>
      {run && <RunProgress run={run} t={t} />}
      <ErrorMessage error={operate.error ?? remove.error} />
      <div className="actions">
        {COMMANDS.map((c) => (
          <button
            type="button"
            key={c}
            disabled={busy || operate.pending || !commandAllowed(machine.status, c)}
            onClick={() => void operate.run(c)}
          >
            {c === 'START' ? t('start') : t('stop')}
          </button>
        ))}
        <button type="button" className="secondary" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {t('edit')}
        </button>
        <button
          type="button"
          className="danger"
          disabled={remove.pending}
          onClick={() => window.confirm(t('confirmDelete', { name: machine.name })) && void remove.run()}
        >
          {t('delete')}
        </button>
        <Link to={`/machines/history?machine=${machine.id}`}>{t('history')}</Link>
      </div>
      {editing && <MachineForm machine={machine} title={t('edit')} onSubmit={save} onCancel={() => setEditing(false)} />}
    </li>
  );
}
