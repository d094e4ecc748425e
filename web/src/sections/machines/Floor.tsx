// The shop floor (docs/apps/machines.md §10.7): every machine of mine with live state, current
// cycle time and today's parts, kept current by the machines WebSocket (telemetry, status, alarms);
// per machine, charts of cycle time, parts per bucket and temperatures over a chosen range, the
// availability in that range, and the alarm list with acknowledge.
import { useCallback, useMemo, useState } from 'react';
import { api, call } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLoad } from '../../components/hooks';
import { useSocket } from '../../components/useSocket';
import { defineText, useT } from '../../i18n';
import { Link } from '../../router';
import { Chart } from './Chart';
import { machinesSocket } from './live';
import { machinesText } from './text';

const floorText = defineText(
  {
    floor: '현장 현황',
    back: '내 기계',
    cycle: '사이클 타임',
    today: '오늘 생산',
    rejects: '불량 {n}',
    barrel: '실린더 온도',
    mould: '금형 온도',
    alarms: '경보',
    activeAlarms: '활성 경보 {n}',
    noData: '측정값 없음',
    range: '기간',
    h1: '1시간',
    h8: '8시간',
    h24: '24시간',
    d7: '7일',
    availability: '가동률',
    parts: '생산 수량 (구간별)',
    temps: '온도',
    cycleChart: '사이클 타임',
    good: '양품',
    reject: '불량',
    ack: '확인',
    acked: '확인됨',
    cleared: '해제됨',
    active: '발생 중',
    none: '경보 없음',
    select: '기계를 선택하면 차트와 경보가 표시됩니다.',
    seconds: '초',
  },
  {
    floor: 'Shop floor',
    back: 'My machines',
    cycle: 'Cycle time',
    today: 'Parts today',
    rejects: '{n} rejects',
    barrel: 'Barrel',
    mould: 'Mould',
    alarms: 'Alarms',
    activeAlarms: '{n} active alarms',
    noData: 'no data',
    range: 'Range',
    h1: '1 h',
    h8: '8 h',
    h24: '24 h',
    d7: '7 days',
    availability: 'Availability',
    parts: 'Parts per bucket',
    temps: 'Temperatures',
    cycleChart: 'Cycle time',
    good: 'good',
    reject: 'reject',
    ack: 'Acknowledge',
    acked: 'acknowledged',
    cleared: 'cleared',
    active: 'active',
    none: 'No alarms',
    select: 'Pick a machine to see its charts and alarms.',
    seconds: 's',
  },
);

type FloorRow = {
  id: number;
  name: string;
  location: string;
  status: number;
  protocol: string;
  latest: Reading | null;
  good_parts_today: number;
  reject_parts_today: number;
  active_alarms: number;
};
type Reading = {
  ts: string;
  state: number | null;
  cycle_time_ms: number | null;
  good_parts: number | null;
  reject_parts: number | null;
  barrel_temp_c: number | null;
  mould_temp_c: number | null;
};
type Alarm = {
  id: number;
  machine_id: number;
  kind: string;
  severity: string;
  message: string;
  raised_at: string;
  cleared_at: string | null;
  acknowledged_at: string | null;
  active: boolean;
};
type LiveEvent =
  | { type: 'telemetry'; machine_id: number; reading: Reading }
  | { type: 'alarm'; event: 'raised' | 'cleared' | 'acknowledged'; alarm: Alarm }
  | { type: 'machine'; event: string; machine: { id: number; status: number } }
  | { type: 'run' | 'ready' | 'pong' };

const RANGES = { h1: 3_600_000, h8: 8 * 3_600_000, h24: 86_400_000, d7: 7 * 86_400_000 } as const;
type RangeKey = keyof typeof RANGES;

const midnight = () => {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
};
const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '–' : v.toFixed(digits));

export function Floor() {
  const t = useT(floorText);
  const tm = useT(machinesText);
  const floor = useLoad(async () => (await call(api.GET('/machines/api/machines/floor/', { params: { query: { since: midnight() } } }))).result as FloorRow[], []);
  const [selected, setSelected] = useState<number | null>(null);
  const [alarmTick, setAlarmTick] = useState(0);
  const setRows = floor.set;

  const onTelemetry = useCallback(
    (id: number, r: Reading) =>
      setRows((prev = []) =>
        prev.map((m) => {
          if (m.id !== id) return m;
          // today's parts grow by the rise of the machine's counter since the last reading
          const rise = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && a >= b ? a - b : 0);
          return {
            ...m,
            latest: r,
            good_parts_today: m.good_parts_today + rise(r.good_parts, m.latest?.good_parts),
            reject_parts_today: m.reject_parts_today + rise(r.reject_parts, m.latest?.reject_parts),
          };
        }),
      ),
    [setRows],
  );

  const live = useSocket({
    ...machinesSocket,
    onMessage: (data) => {
      const ev = data as LiveEvent;
      if (ev.type === 'telemetry') onTelemetry(ev.machine_id, ev.reading);
      if (ev.type === 'machine') setRows((prev = []) => prev.map((m) => (m.id === ev.machine.id ? { ...m, status: ev.machine.status } : m)));
      if (ev.type === 'alarm') {
        const delta = ev.event === 'raised' ? 1 : ev.event === 'cleared' ? -1 : 0;
        setRows((prev = []) => prev.map((m) => (m.id === ev.alarm.machine_id ? { ...m, active_alarms: Math.max(0, m.active_alarms + delta) } : m)));
        setAlarmTick((n) => n + 1);
      }
    },
    deps: [],
  });

  const rows = floor.data ?? [];
  return (
    <>
      <p className="muted" role="status" data-testid="live" data-state={live.state}>
        {tm('live')}: {live.state === 'open' ? tm('liveOpen') : live.state === 'connecting' ? tm('liveConnecting') : tm('liveClosed')}
      </p>
      <h2>{t('floor')}</h2>
      <p>
        <Link to="/machines">{t('back')}</Link>
      </p>
      <ErrorMessage error={floor.error} />
      <ul className="cards floor" aria-label={t('floor')}>
        {rows.map((m) => (
          <li key={m.id} className={`card floor-card${selected === m.id ? ' selected' : ''}`} data-testid={`floor-${m.id}`}>
            <button type="button" className="link" onClick={() => setSelected(m.id)} aria-pressed={selected === m.id}>
              <strong>{m.name}</strong>
            </button>{' '}
            <span className={`badge status-${m.status}`} data-testid="floor-status">
              {tm(`status${m.status}` as 'status0')}
            </span>
            <span className="muted"> · {m.location} · {m.protocol}</span>
            <dl className="kv">
              <dt>{t('cycle')}</dt>
              <dd data-testid="floor-cycle">{m.latest?.cycle_time_ms != null ? `${fmt(m.latest.cycle_time_ms / 1000)} ${t('seconds')}` : '–'}</dd>
              <dt>{t('today')}</dt>
              <dd data-testid="floor-parts">
                {m.good_parts_today} <span className="muted">({t('rejects', { n: String(m.reject_parts_today) })})</span>
              </dd>
              <dt>{t('barrel')}</dt>
              <dd data-testid="floor-barrel">{m.latest ? `${fmt(m.latest.barrel_temp_c)} °C` : t('noData')}</dd>
              <dt>{t('mould')}</dt>
              <dd>{m.latest ? `${fmt(m.latest.mould_temp_c)} °C` : t('noData')}</dd>
            </dl>
            {m.active_alarms > 0 && (
              <p className="alarm-badge" data-testid="floor-alarms">
                {t('activeAlarms', { n: String(m.active_alarms) })}
              </p>
            )}
          </li>
        ))}
      </ul>
      {selected === null ? <p className="muted">{t('select')}</p> : <MachineDetail key={selected} id={selected} alarmTick={alarmTick} />}
    </>
  );
}

function MachineDetail({ id, alarmTick }: { id: number; alarmTick: number }) {
  const t = useT(floorText);
  const [range, setRange] = useState<RangeKey>('h24');
  const series = useLoad(async () => {
    const to = new Date();
    const from = new Date(to.getTime() - RANGES[range]);
    return (
      await call(
        api.GET('/machines/api/machines/{id}/telemetry/', {
          params: { path: { id }, query: { from: from.toISOString(), to: to.toISOString() } },
        }),
      )
    ).result;
  }, [id, range]);
  const alarms = useLoad(
    async () => (await call(api.GET('/machines/api/machines/{id}/alarms/', { params: { path: { id }, query: { page_size: '50' } } }))).result as Alarm[],
    [id, alarmTick],
  );
  const ack = async (alarmId: number) => {
    const r = (await call(api.POST('/machines/api/machines/{id}/alarms/{alarmId}/ack/', { params: { path: { id, alarmId } } }))).result as Alarm;
    alarms.set((prev = []) => prev.map((a) => (a.id === r.id ? r : a)));
  };
  const data = series.data;
  const charts = useMemo(() => {
    if (!data) return null;
    const times = data.points.map((p) => Date.parse(p.t) / 1000);
    return {
      times,
      cycle: [{ label: `${t('cycleChart')} (s)`, color: '#2563eb', values: data.points.map((p) => (p.cycle_time_ms === null ? null : p.cycle_time_ms / 1000)) }],
      parts: [
        { label: t('good'), color: '#16a34a', values: data.points.map((p) => p.good_parts), bars: true },
        { label: t('reject'), color: '#dc2626', values: data.points.map((p) => p.reject_parts), bars: true },
      ],
      temps: [
        { label: t('barrel'), color: '#ea580c', values: data.points.map((p) => p.barrel_temp_c) },
        { label: t('mould'), color: '#0891b2', values: data.points.map((p) => p.mould_temp_c) },
      ],
    };
  }, [data, t]);
  return (
    <section className="panel floor-detail" aria-label="detail">
      <fieldset className="range">
        <legend>{t('range')}</legend>
        {(Object.keys(RANGES) as RangeKey[]).map((k) => (
          <label key={k}>
            <input type="radio" name="range" checked={range === k} onChange={() => setRange(k)} /> {t(k)}
          </label>
        ))}
      </fieldset>
      <ErrorMessage error={series.error} />
      {data && (
        <p data-testid="availability">
          {t('availability')}: <strong>{data.totals.availability === null ? '–' : `${(data.totals.availability * 100).toFixed(1)} %`}</strong> ·{' '}
          {t('good')} {data.totals.good_parts} · {t('reject')} {data.totals.reject_parts}
        </p>
      )}
      {charts && (
        <div className="charts">
          <Chart testId="chart-cycle" title={t('cycleChart')} unit="s" times={charts.times} series={charts.cycle} />
          <Chart testId="chart-parts" title={t('parts')} unit="pcs" times={charts.times} series={charts.parts} />
          <Chart testId="chart-temps" title={t('temps')} unit="°C" times={charts.times} series={charts.temps} />
        </div>
      )}
      <h3>{t('alarms')}</h3>
      <ErrorMessage error={alarms.error} />
      {alarms.data && alarms.data.length === 0 && <p className="muted">{t('none')}</p>}
      <ul className="alarms" data-testid="alarm-list">
        {(alarms.data ?? []).map((a) => (
          <li key={a.id} className={`alarm sev-${a.severity}${a.active ? ' active' : ''}`} data-testid="alarm">
            <strong>{a.kind}</strong> {a.message} <span className="muted">{new Date(a.raised_at).toLocaleString()}</span>{' '}
            <span className="muted">{a.active ? t('active') : t('cleared')}</span>{' '}
            {a.acknowledged_at ? (
              <span className="muted">· {t('acked')}</span>
            ) : (
              <button type="button" onClick={() => void ack(a.id)}>
                {t('ack')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
