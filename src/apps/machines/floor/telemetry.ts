// Telemetry (docs/apps/machines.md §10.3): readings are buffered and written in multi-row inserts
// (ingestion is measured by bench/telemetry.ts), the newest reading of each machine is pushed live,
// alarm rules see every reading, and chart queries aggregate into at most MAX_POINTS buckets over a
// bounded range. Raw rows older than the retention are rolled up into hourly rows.
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../core/db/client.js';
import type { Logger } from '../../../core/observability/logger.js';
import { machines } from '../machines.table.js';
import { hourly, readings, type Reading } from './floor.table.js';
import { bucketOf, maxOf, minOf, rawCutoff, readingJson, rowsOf, RUNNING, summarise, weighted, type Bucket, type FloorRow } from './telemetry-buckets.js';

/** rows per INSERT: 9 columns × 1000 stays far below PostgreSQL's 65,535 parameters */
const CHUNK = 1000;
const FLUSH_MS = 100;
/** buffered readings beyond this are written at once instead of waiting for the timer */
const FLUSH_AT = 2000;

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
