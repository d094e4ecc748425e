// telemetry: readings/s through the telemetry store's batched inserts (1,000-row batches, as MQTT,
// OPC UA and the simulator feed it), then the p99 of the dashboard's 24-hour chart query on one
// machine holding 1,000,000 readings (one per ~0.9 s over 10 days; auto bucket 300 s = 288 points).
// PostgreSQL when DATABASE_URL is set (own database, dropped at the end), otherwise embedded PGlite
// in a temporary folder. BENCH_TELEMETRY_READINGS sets the ingested count (default 200,000).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/core/db/client.js';
import { migrateAll } from '../src/core/db/migrate.js';
import { createLogger } from '../src/core/observability/logger.js';
import { TelemetryQueries, TelemetryStore } from '../src/apps/machines/floor/telemetry.js';
import type { Reading } from '../src/apps/machines/floor/floor.table.js';
import { benchDatabase, printTable } from './lib.js';

const INGEST = Number(process.env.BENCH_TELEMETRY_READINGS ?? 200_000);
const TOTAL = 1_000_000;
const QUERIES = 50;

export default async function run(): Promise<void> {
  const pgDb = process.env.DATABASE_URL ? await benchDatabase('madang_bench_telemetry', 'telemetry') : undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'madang-bench-telemetry-'));
  const database = await openDatabase({ url: pgDb?.url, dataDir: dir, poolMax: 10 });
  try {
    await migrateAll(database, ['core', 'machines']);
    const db = database.db;
    await db.execute(sql`insert into machines_users (username, email, password_hash) values ('bench', 'bench@example.com', 'x')`);
    await db.execute(sql`insert into machines_machines (name, location, owner_id) select 'press-' || g, 'hall', 1 from generate_series(1, 20) g`);
    const log = createLogger('silent');

    // 1. ingestion: 20 machines, one reading each per "second", written in 1,000-row batches
    const start = Date.now() - 30 * 86_400_000;
    const batch = (i0: number, n: number): Reading[] =>
      Array.from({ length: n }, (_, k) => {
        const i = i0 + k;
        return {
          machineId: 1 + (i % 20),
          ts: new Date(start + Math.floor(i / 20) * 1000),
          state: 2,
          cycleTimeMs: 25_000 + (i % 500),
          cycleCounter: i,
          goodParts: i,
          rejectParts: Math.floor(i / 50),
          barrelTempC: 230 + (i % 10) / 10,
          mouldTempC: 45 + (i % 7) / 10,
        };
      });
    // baseline (VALUES lists, what drizzle's insert().values() sends) and unnest, back to back
    const rates: Record<string, { rate: number; secs: number; n: number }> = {};
    let offset = 0;
    for (const mode of ['values', 'unnest'] as const) {
      const n = mode === 'values' ? Math.min(INGEST, 20_000) : INGEST;
      const store = new TelemetryStore(db, log, mode);
      const t0 = performance.now();
      for (let i = 0; i < n; i += 1000) await store.ingest(batch(offset + i, Math.min(1000, n - i)));
      const secs = (performance.now() - t0) / 1000;
      rates[mode] = { rate: Math.round(n / secs), secs, n };
      offset += n;
    }

    // 2. one machine with 1,000,000 readings (filled in SQL: this part measures the query)
    await db.execute(sql`insert into machines_machines (id, name, location, owner_id) values (21, 'big', 'hall', 1)`);
    await db.execute(sql`
      insert into machines_readings (machine_id, ts, state, cycle_time_ms, cycle_counter, good_parts, reject_parts, barrel_temp_c, mould_temp_c)
      select 21, now() - (g * interval '864 milliseconds'), case when g % 10 = 0 then 1 else 2 end, 25000 + g % 500, ${TOTAL} - g, ${TOTAL} - g, (${TOTAL} - g) / 50,
        230 + (g % 10) / 10.0, 45 + (g % 7) / 10.0
      from generate_series(1, ${TOTAL}) g`);
    await db.execute(sql`analyze machines_readings`);
    const q = new TelemetryQueries(db, 30);
    const times: number[] = [];
    let points = 0;
    for (let i = 0; i < QUERIES; i++) {
      const to = new Date(Date.now() - (i % 5) * 3_600_000);
      const from = new Date(to.getTime() - 86_400_000);
      const q0 = performance.now();
      const s = await q.series(21, from, to, 300);
      times.push(performance.now() - q0);
      points = s.points.length;
    }
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!.toFixed(1);
    printTable(`telemetry (${database.kind}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`, [
      ...Object.entries(rates).map(([mode, r]) => ({
        measure: `ingest readings/s, ${mode === 'values' ? 'baseline: VALUES lists' : 'unnest arrays (used)'}`,
        value: r.rate,
        note: `${r.n} readings in ${r.secs.toFixed(1)} s, 1,000-row batches`,
      })),
      { measure: '24-hour chart query p50 ms', value: pct(50), note: `${points} points of 300 s over ${TOTAL.toLocaleString('en')} readings` },
      { measure: '24-hour chart query p99 ms', value: pct(99), note: `${QUERIES} queries` },
    ]);
  } finally {
    await database.close();
    await pgDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
