// Run history with filters (machine, scope, command, result, time range) and paging; the filters
// live in the URL so a filtered page can be linked and reloaded, and each search keeps them all.
import { useState } from 'react';
import { api, call } from '../../api/client';
import { callPaged } from '../../api/paged';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, Select } from '../../components/Field';
import { useLoad } from '../../components/hooks';
import { formatDate, useLang, useT } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { machinesText, type MachinesKey } from './text';
import { COMMANDS, RESULTS } from './types';

const PAGE_SIZE = '20';

/** datetime-local (local time, no zone) → ISO 8601 for the API */
function toIso(local: string | null): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function History() {
  const t = useT(machinesText);
  const lang = useLang();
  const { query } = useLocation();
  const machineId = Number(query.get('machine')) || undefined;
  const page = Math.max(1, Number(query.get('page')) || 1);
  const filters = {
    command: query.get('command') || undefined,
    result: query.get('result') || undefined,
    from: toIso(query.get('from')),
    to: toIso(query.get('to')),
  };
  const key = query.toString();

  const machines = useLoad(async () => (await call(api.GET('/machines/api/machines/', { params: { query: { page_size: '1000' } } }))).result, []);
  const runs = useLoad(() => {
    const q = { ...filters, page: String(page), page_size: PAGE_SIZE };
    if (machineId) {
      return callPaged(api.GET('/machines/api/machines/{id}/history/', { params: { path: { id: machineId }, query: q } }), (d) => d.result);
    }
    const scope = query.get('scope') === 'owned' ? 'owned' : undefined;
    return callPaged(api.GET('/machines/api/user/machines/history/', { params: { query: { ...q, scope } } }), (d) => d.result);
  }, [key]);

  const go = (next: URLSearchParams) => navigate(`/machines/history?${next.toString()}`);
  const toPage = (n: number) => {
    const next = new URLSearchParams(query);
    next.set('page', String(n));
    go(next);
  };
  const nameOf = (id: number) => machines.data?.find((m) => m.id === id)?.name ?? `#${id}`;

  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{machineId ? t('historyOf', { name: nameOf(machineId) }) : t('history')}</h2>
      <p>
        <Link to="/machines">{t('back')}</Link>
      </p>
      <Filters key={key} query={query} machineId={machineId} machines={machines.data ?? []} error={runs.error} onSubmit={go} />
      <ErrorMessage error={runs.error} />
      <div className="table-wrap">
        <table data-testid="history">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('machine')}</th>
              <th scope="col">{t('command')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('result')}</th>
              <th scope="col">{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data?.items.map((r) => (
              <tr key={r.id}>
                <td>{r.id}</td>
                <td>{formatDate(r.request_datetime, lang)}</td>
                <td>{nameOf(r.machine_id)}</td>
                <td>{r.command}</td>
                <td>{t(`state${r.state}` as MachinesKey)}</td>
                <td>{r.result ? t(`result${r.result}` as MachinesKey) : '—'}</td>
                <td>{r.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {runs.data && runs.data.items.length === 0 && <p>{t('noRuns')}</p>}
      <nav className="paginator" aria-label={t('history')}>
        <button type="button" disabled={page <= 1} onClick={() => toPage(page - 1)}>
          ‹ {t('prev')}
        </button>
        <span aria-live="polite">{t('page', { page })}</span>
        <button type="button" disabled={!runs.data?.hasNext} onClick={() => toPage(page + 1)}>
          {t('next')} ›
        </button>
      </nav>
    </section>
  );
}

interface FiltersProps {
  query: URLSearchParams;
  machineId?: number;
  machines: Array<{ id: number; name: string }>;
  error: unknown;
  onSubmit: (next: URLSearchParams) => void;
}

/**
 * The filter form, remounted for each URL. The machine select is controlled: the machines arrive
 * after the form is drawn, and an uncontrolled select would show "all machines" while the page
 * shows one — then drop it on the next search.
 */
function Filters({ query, machineId, machines, error, onSubmit }: FiltersProps) {
  const t = useT(machinesText);
  const [machine, setMachine] = useState(machineId ? String(machineId) : '');
  return (
    <form
      className="filters panel"
      aria-label={t('filter')}
      onSubmit={(e) => {
        e.preventDefault();
        const next = new URLSearchParams();
        for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === 'string' && v) next.set(k, v);
        onSubmit(next);
      }}
    >
      <Select label={t('machine')} name="machine" value={machine} onChange={(e) => setMachine(e.target.value)}>
        <option value="">{t('allMachines')}</option>
        {machineId && !machines.some((m) => m.id === machineId) && <option value={String(machineId)}>#{machineId}</option>}
        {machines.map((m) => (
          <option key={m.id} value={String(m.id)}>
            {m.name}
          </option>
        ))}
      </Select>
      <Select label={t('scope')} name="scope" defaultValue={query.get('scope') ?? ''} disabled={machine !== ''}>
        <option value="">{t('scopeIssued')}</option>
        <option value="owned">{t('scopeOwned')}</option>
      </Select>
      <Select label={t('command')} name="command" defaultValue={query.get('command') ?? ''}>
        <option value="">{t('any')}</option>
        {COMMANDS.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </Select>
      <Select label={t('result')} name="result" defaultValue={query.get('result') ?? ''}>
        <option value="">{t('any')}</option>
        {RESULTS.map((r) => (
          <option key={r} value={r}>
            {t(`result${r}` as MachinesKey)}
          </option>
        ))}
      </Select>
      <Field label={t('from')} name="from" type="datetime-local" defaultValue={query.get('from') ?? ''} error={error} />
      <Field label={t('to')} name="to" type="datetime-local" defaultValue={query.get('to') ?? ''} error={error} />
      <div className="actions">
        <button type="submit">{t('filter')}</button>
      </div>
    </form>
  );
}
