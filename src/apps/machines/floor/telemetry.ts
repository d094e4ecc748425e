// Telemetry (docs/apps/machines.md §10.3): readings are buffered and written in multi-row inserts
// (ingestion is measured by bench/telemetry.ts), the newest reading of each machine is pushed live,
// alarm rules see every reading, and chart queries aggregate into at most MAX_POINTS buckets over a
// bounded range. Raw rows older than the retention are rolled up into hourly rows.
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../core/db/client.js';
import type { Logger } from '../../../core/observability/logger.js';
import { machines } from '../machines.table.js';
import { hourly, readings, type Reading } from './floor.table.js';

/** rows per INSERT: 9 columns × 1000 stays far below PostgreSQL's 65,535 parameters */
const CHUNK = 1000;
const FLUSH_MS = 100;
/** buffered readings beyond this are written at once instead of waiting for the timer */
const FLUSH_AT = 2000;
export const MAX_POINTS = 720;
export const BUCKETS_S = [10, 60, 300, 900, 3600, 21_600, 86_400] as const;
export const MAX_RANGE_MS = 92 * 86_400_000;
export const RUNNING = 2;

export interface FlushListener {
  (rows: Reading[]): Promise<void>;
}

export class TelemetryStore {
  private buf: Reading[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly listeners: FlushListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    /** 'values' (one parameter per field) is kept as the benchmark's baseline */
    private readonly mode: 'unnest' | 'values' = 'unnest',
  ) {}

  onStored(l: FlushListener): void {
    this.listeners.push(l);
  }

  /** buffered: for sources that stream (MQTT, OPC UA subscriptions, the simulator) */
  push(r: Reading): void {
    this.buf.push(r);
    if (this.buf.length >= FLUSH_AT) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** written before it resolves: for callers that answer a client (HTTP ingestion) */
  async ingest(rows: Reading[]): Promise<void> {
    await this.write(rows);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buf;
    this.buf = [];
    if (!rows.length) return this.flushing;
    this.flushing = this.flushing.then(() =>
      this.write(rows).catch((err: unknown) => this.log.error({ err, rows: rows.length }, 'machines: telemetry write failed')),
    );
    return this.flushing;
  }

  private async write(rows: Reading[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) await insertReadings(this.db, rows.slice(i, i + CHUNK), this.mode);
    for (const l of this.listeners) {
      try {
        await l(rows);
      } catch (err) {
        this.log.error({ err }, 'machines: telemetry listener failed');
      }
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

/** a PostgreSQL array literal of numbers (null → NULL) */
function numArray(values: Array<number | null | undefined>): string {
  return `{${values.map((v) => (v === null || v === undefined || !Number.isFinite(v) ? 'NULL' : String(v))).join(',')}}`;
}

/**
 * One INSERT … SELECT FROM unnest() with nine array parameters instead of nine parameters per row:
 * the statement is parsed once whatever the batch size (about 5x faster than VALUES lists, bench/telemetry.ts).
 */
export async function insertReadings(db: Db, rows: Reading[], mode: 'unnest' | 'values' = 'unnest'): Promise<void> {
  if (!rows.length) return;
  if (mode === 'values') {
    await db.insert(readings).values(rows);
    return;
  }
  const ts = `{${rows.map((r) => `"${r.ts.toISOString()}"`).join(',')}}`;
  await db.execute(sql`
    insert into ${readings} (machine_id, ts, state, cycle_time_ms, cycle_counter, good_parts, reject_parts, barrel_temp_c, mould_temp_c)
    select * from unnest(${numArray(rows.map((r) => r.machineId))}::bigint[], ${ts}::timestamptz[],
      ${numArray(rows.map((r) => r.state))}::smallint[], ${numArray(rows.map((r) => r.cycleTimeMs))}::integer[],
      ${numArray(rows.map((r) => r.cycleCounter))}::bigint[], ${numArray(rows.map((r) => r.goodParts))}::bigint[],
      ${numArray(rows.map((r) => r.rejectParts))}::bigint[], ${numArray(rows.map((r) => r.barrelTempC))}::real[],
      ${numArray(rows.map((r) => r.mouldTempC))}::real[])`);
}

/** the smallest bucket giving at most MAX_POINTS points; ≥ 1 h when the range reaches roll-ups */
export function bucketFor(rangeMs: number, minS = 0): number {
  for (const b of BUCKETS_S) if (b >= minS && rangeMs / (b * 1000) <= MAX_POINTS) return b;
  return 86_400;
}

export interface Point {
  t: string;
  samples: number;
  cycle_time_ms: number | null;
  cycle_time_max_ms: number | null;
  good_parts: number;
  reject_parts: number;
  barrel_temp_c: number | null;
  mould_temp_c: number | null;
  /** share of state samples in RUNNING (null: no state in the bucket) */
  running: number | null;
}

interface Bucket {
  t: number;
  samples: number;
  stateSamples: number;
  runningSamples: number;
  cycleAvg: number | null;
  cycleMax: number | null;
  goodMax: number | null;
  goodMin: number | null;
  rejectMax: number | null;
  rejectMin: number | null;
  barrelAvg: number | null;
  mouldAvg: number | null;
}

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function weighted(a: number | null, wa: number, b: number | null, wb: number): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return (a * wa + b * wb) / (wa + wb);
}

/** cutoff of raw retention: raw rows before it have been (or will be) rolled up into hours */
export function rawCutoff(now: Date, rawDays: number): Date {
  const c = new Date(now.getTime() - rawDays * 86_400_000);
  c.setUTCMinutes(0, 0, 0);
  return c;
}

export class TelemetryQueries {
  constructor(private readonly db: Db, private readonly rawDays: number) {}

  /** buckets of [from, to): raw readings after the retention cutoff, hourly roll-ups before it */
  async series(machineId: number, from: Date, to: Date, bucketS: number, now = new Date()) {
    const cutoff = rawCutoff(now, this.rawDays);
    const out = new Map<number, Bucket>();
    const merge = (b: Bucket) => {
      const o = out.get(b.t);
      if (!o) return void out.set(b.t, b);
      const w = o.samples;
      out.set(b.t, {
        t: b.t,
        samples: o.samples + b.samples,
        stateSamples: o.stateSamples + b.stateSamples,
        runningSamples: o.runningSamples + b.runningSamples,
        cycleAvg: weighted(o.cycleAvg, w, b.cycleAvg, b.samples),
        cycleMax: Math.max(o.cycleMax ?? -Infinity, b.cycleMax ?? -Infinity) === -Infinity ? null : Math.max(o.cycleMax ?? -Infinity, b.cycleMax ?? -Infinity),
        goodMax: maxOf(o.goodMax, b.goodMax),
        goodMin: minOf(o.goodMin, b.goodMin),
        rejectMax: maxOf(o.rejectMax, b.rejectMax),
        rejectMin: minOf(o.rejectMin, b.rejectMin),
        barrelAvg: weighted(o.barrelAvg, w, b.barrelAvg, b.samples),
        mouldAvg: weighted(o.mouldAvg, w, b.mouldAvg, b.samples),
      });
    };
    if (from < cutoff) {
      const hi = to < cutoff ? to : cutoff;
      const rows = await this.db.execute(sql`
        select floor(extract(epoch from ${hourly.hour}) / ${bucketS})::bigint * ${bucketS} as t,
          sum(${hourly.samples})::int as samples, sum(${hourly.stateSamples})::int as state_samples,
          sum(${hourly.runningSamples})::int as running_samples,
          sum(${hourly.cycleTimeAvg} * ${hourly.samples}) / nullif(sum(case when ${hourly.cycleTimeAvg} is null then 0 else ${hourly.samples} end), 0) as cycle_avg,
          max(${hourly.cycleTimeMax}) as cycle_max, max(${hourly.goodParts}) as good_max, min(${hourly.goodPartsMin}) as good_min,
          max(${hourly.rejectParts}) as reject_max, min(${hourly.rejectPartsMin}) as reject_min,
          avg(${hourly.barrelTempAvg}) as barrel_avg, avg(${hourly.mouldTempAvg}) as mould_avg
        from ${hourly}
        where ${hourly.machineId} = ${machineId} and ${hourly.hour} >= ${from.toISOString()} and ${hourly.hour} < ${hi.toISOString()}
        group by 1 order by 1`);
      for (const r of rowsOf(rows)) merge(bucketOf(r));
    }
    if (to > cutoff) {
      const lo = from > cutoff ? from : cutoff;
      const rows = await this.db.execute(sql`
        select floor(extract(epoch from ${readings.ts}) / ${bucketS})::bigint * ${bucketS} as t,
          count(*)::int as samples, count(${readings.state})::int as state_samples,
          (count(*) filter (where ${readings.state} = ${RUNNING}))::int as running_samples,
          avg(${readings.cycleTimeMs}) as cycle_avg, max(${readings.cycleTimeMs}) as cycle_max,
          max(${readings.goodParts}) as good_max, min(${readings.goodParts}) as good_min,
          max(${readings.rejectParts}) as reject_max, min(${readings.rejectParts}) as reject_min,
          avg(${readings.barrelTempC}) as barrel_avg, avg(${readings.mouldTempC}) as mould_avg
        from ${readings}
        where ${readings.machineId} = ${machineId} and ${readings.ts} >= ${lo.toISOString()} and ${readings.ts} < ${to.toISOString()}
        group by 1 order by 1`);
      for (const r of rowsOf(rows)) merge(bucketOf(r));
    }
    const buckets = [...out.values()].sort((a, b) => a.t - b.t);
    return summarise(buckets, bucketS, from, to);
  }

  /** newest reading and parts since `since` of each of the given machines */
  async floor(ids: number[], since: Date) {
    if (!ids.length) return new Map<number, FloorRow>();
    const latest = rowsOf(
      await this.db.execute(sql`
        select distinct on (${readings.machineId}) ${readings.machineId} as machine_id, ${readings.ts} as ts,
          ${readings.state} as state, ${readings.cycleTimeMs} as cycle_time_ms, ${readings.cycleCounter} as cycle_counter,
          ${readings.goodParts} as good_parts, ${readings.rejectParts} as reject_parts,
          ${readings.barrelTempC} as barrel_temp_c, ${readings.mouldTempC} as mould_temp_c
        from ${readings} where ${inArray(readings.machineId, ids)}
        order by ${readings.machineId}, ${readings.ts} desc`),
    );
    const parts = rowsOf(
      await this.db.execute(sql`
        select ${readings.machineId} as machine_id, max(${readings.goodParts}) - min(${readings.goodParts}) as good,
          max(${readings.rejectParts}) - min(${readings.rejectParts}) as reject
        from ${readings} where ${and(inArray(readings.machineId, ids), gte(readings.ts, since))}
        group by 1`),
    );
    const out = new Map<number, FloorRow>();
    for (const r of latest) {
      out.set(Number(r.machine_id), {
        reading: readingJson(r),
        goodToday: 0,
        rejectToday: 0,
      });
    }
    for (const p of parts) {
      const row = out.get(Number(p.machine_id));
      if (row) {
        row.goodToday = Number(p.good ?? 0);
        row.rejectToday = Number(p.reject ?? 0);
      }
    }
    return out;
  }

  /** the newest reading time of each machine (the no-data alarm) */
  async lastSeen(ids: number[]): Promise<Map<number, Date>> {
    if (!ids.length) return new Map();
    // one index probe per machine (max of the (machine_id, ts) index), whatever the table's size
    const rows = rowsOf(
      await this.db.execute(sql`
        select x.id as machine_id, (select max(${readings.ts}) from ${readings} where ${readings.machineId} = x.id) as ts
        from unnest(${numArray(ids)}::bigint[]) as x(id)`),
    );
    const out = new Map<number, Date>();
    for (const r of rows) if (r.ts) out.set(Number(r.machine_id), new Date(r.ts as string));
    return out;
  }

  /**
   * Retention: raw readings before the cutoff become hourly rows (merged into any already there,
   * for late readings), then are deleted, in one transaction under an advisory lock so that two
   * instances never roll the same rows up twice. Returns the raw rows removed.
   */
  async rollUp(now = new Date()): Promise<number> {
    const cutoff = rawCutoff(now, this.rawDays).toISOString();
    return this.db.transaction(async (tx) => {
      const lock = rowsOf(await tx.execute(sql`select pg_try_advisory_xact_lock(7300018) as ok`));
      if (!lock[0]?.ok) return 0;
      await tx.execute(sql`
        insert into ${hourly} (machine_id, hour, samples, state_samples, running_samples, cycle_time_avg, cycle_time_max,
          good_parts, good_parts_min, reject_parts, reject_parts_min, barrel_temp_avg, mould_temp_avg)
        select ${readings.machineId}, date_trunc('hour', ${readings.ts}), count(*), count(${readings.state}),
          count(*) filter (where ${readings.state} = ${RUNNING}), avg(${readings.cycleTimeMs}), max(${readings.cycleTimeMs}),
          max(${readings.goodParts}), min(${readings.goodParts}), max(${readings.rejectParts}), min(${readings.rejectParts}),
          avg(${readings.barrelTempC}), avg(${readings.mouldTempC})
        from ${readings} where ${readings.ts} < ${cutoff}
        group by 1, 2
        on conflict (machine_id, hour) do update set
          samples = ${hourly.samples} + excluded.samples,
          state_samples = ${hourly.stateSamples} + excluded.state_samples,
          running_samples = ${hourly.runningSamples} + excluded.running_samples,
          cycle_time_avg = coalesce((${hourly.cycleTimeAvg} * ${hourly.samples} + excluded.cycle_time_avg * excluded.samples)
            / (${hourly.samples} + excluded.samples), ${hourly.cycleTimeAvg}, excluded.cycle_time_avg),
          cycle_time_max = greatest(${hourly.cycleTimeMax}, excluded.cycle_time_max),
          good_parts = greatest(${hourly.goodParts}, excluded.good_parts),
          good_parts_min = least(${hourly.goodPartsMin}, excluded.good_parts_min),
          reject_parts = greatest(${hourly.rejectParts}, excluded.reject_parts),
          reject_parts_min = least(${hourly.rejectPartsMin}, excluded.reject_parts_min),
          barrel_temp_avg = coalesce((${hourly.barrelTempAvg} * ${hourly.samples} + excluded.barrel_temp_avg * excluded.samples)
            / (${hourly.samples} + excluded.samples), ${hourly.barrelTempAvg}, excluded.barrel_temp_avg),
          mould_temp_avg = coalesce((${hourly.mouldTempAvg} * ${hourly.samples} + excluded.mould_temp_avg * excluded.samples)
            / (${hourly.samples} + excluded.samples), ${hourly.mouldTempAvg}, excluded.mould_temp_avg)`);
      const gone = await tx.delete(readings).where(lt(readings.ts, new Date(cutoff))).returning({ m: readings.machineId });
      return gone.length;
    });
  }

  async rawCount(machineId: number): Promise<number> {
    const r = rowsOf(await this.db.execute(sql`select count(*)::int as n from ${readings} where ${eq(readings.machineId, machineId)}`));
    return Number(r[0]?.n ?? 0);
  }
}

export interface FloorRow {
  reading: ReturnType<typeof readingJson>;
  goodToday: number;
  rejectToday: number;
}

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

export function rowsOf(res: unknown): Array<Record<string, unknown>> {
  return ((res as { rows?: unknown[] }).rows ?? (res as unknown[])) as Array<Record<string, unknown>>;
}

function bucketOf(r: Record<string, unknown>): Bucket {
  return {
    t: Number(r.t),
    samples: Number(r.samples),
    stateSamples: Number(r.state_samples),
    runningSamples: Number(r.running_samples),
    cycleAvg: n(r.cycle_avg),
    cycleMax: n(r.cycle_max),
    goodMax: n(r.good_max),
    goodMin: n(r.good_min),
    rejectMax: n(r.reject_max),
    rejectMin: n(r.reject_min),
    barrelAvg: n(r.barrel_avg),
    mouldAvg: n(r.mould_avg),
  };
}

/**
 * Parts made in a bucket: the rise of the cumulative counter since the previous bucket's highest
 * value (so parts made between two samples in different buckets are not lost); a counter that
 * went down (reset) counts only the rise inside the bucket.
 */
export function partsOf(max: number | null, min: number | null, prevMax: number | null): number {
  if (max === null) return 0;
  if (prevMax !== null && max >= prevMax) return max - prevMax;
  return min === null ? 0 : max - min;
}

function summarise(buckets: Bucket[], bucketS: number, from: Date, to: Date) {
  let prevGood: number | null = null;
  let prevReject: number | null = null;
  let stateSamples = 0;
  let running = 0;
  let good = 0;
  let reject = 0;
  const points: Point[] = buckets.map((b) => {
    const g = partsOf(b.goodMax, b.goodMin, prevGood);
    const r = partsOf(b.rejectMax, b.rejectMin, prevReject);
    if (b.goodMax !== null) prevGood = b.goodMax;
    if (b.rejectMax !== null) prevReject = b.rejectMax;
    good += g;
    reject += r;
    stateSamples += b.stateSamples;
    running += b.runningSamples;
    const round = (v: number | null, d = 1) => (v === null ? null : Math.round(v * 10 ** d) / 10 ** d);
    return {
      t: new Date(b.t * 1000).toISOString(),
      samples: b.samples,
      cycle_time_ms: round(b.cycleAvg, 0),
      cycle_time_max_ms: round(b.cycleMax, 0),
      good_parts: g,
      reject_parts: r,
      barrel_temp_c: round(b.barrelAvg),
      mould_temp_c: round(b.mouldAvg),
      running: b.stateSamples ? round(b.runningSamples / b.stateSamples, 3) : null,
    };
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket_s: bucketS,
    points,
    totals: {
      good_parts: good,
      reject_parts: reject,
      /** running time / time in the range, estimated from state samples (null: no state seen) */
      availability: stateSamples ? Math.round((running / stateSamples) * 1000) / 1000 : null,
    },
  };
}

export function readingJson(r: Record<string, unknown>) {
  return {
    ts: new Date(r.ts as string).toISOString(),
    state: n(r.state),
    cycle_time_ms: n(r.cycle_time_ms),
    cycle_counter: n(r.cycle_counter),
    good_parts: n(r.good_parts),
    reject_parts: n(r.reject_parts),
    barrel_temp_c: n(r.barrel_temp_c),
    mould_temp_c: n(r.mould_temp_c),
  };
}

/** the newest reading of each machine in a write, pushed to its owner as {"type": "telemetry"} */
export async function publishLatest(
  db: Db,
  events: { floor(ownerId: number, data: { type: 'telemetry' } & Record<string, unknown>): Promise<void> },
  rows: Reading[],
): Promise<void> {
  const newest = new Map<number, Reading>();
  for (const r of rows) {
    const o = newest.get(r.machineId);
    if (!o || o.ts <= r.ts) newest.set(r.machineId, r);
  }
  if (newest.size > 200) return; // a bulk load, not live data
  const owners = await db.select({ id: machines.id, ownerId: machines.ownerId }).from(machines).where(inArray(machines.id, [...newest.keys()]));
  for (const o of owners) {
    const r = newest.get(o.id)!;
    await events.floor(o.ownerId, {
      type: 'telemetry',
      machine_id: o.id,
      reading: readingJson({
        ts: r.ts,
        state: r.state,
        cycle_time_ms: r.cycleTimeMs,
        cycle_counter: r.cycleCounter,
        good_parts: r.goodParts,
        reject_parts: r.rejectParts,
        barrel_temp_c: r.barrelTempC,
        mould_temp_c: r.mouldTempC,
      }),
    });
  }
}
