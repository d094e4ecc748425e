// machines: list machines and a history page on a machine with 1,000,000 runs, then runs per second
// through the queue with the simulator at 0 latency (machines.runs.ts): in-process, and with
// REDIS_URL through BullMQ to one separate worker process. Needs PostgreSQL (DATABASE_URL).
// Uses its own databases, dropped at the end.
import pg from 'pg';
import { processEnv, startProcess } from '../test/spawn.js';
import { benchDatabase, cannon, DURATION, printTable, startServer, type Result } from './lib.js';
import { runThroughput } from './machines.runs.js';

const DB = 'madang_bench_machines';
const HISTORY_ROWS = Number(process.env.BENCH_HISTORY_ROWS ?? 1_000_000);

export default async function run(): Promise<void> {
  // BENCH_HISTORY_ROWS=0: only the runs-per-second part
  if (HISTORY_ROWS > 0) await historyBench();
  // BENCH_RUN_MODES=inprocess|bullmq (default both; bullmq needs REDIS_URL)
  const modes = (process.env.BENCH_RUN_MODES ?? 'inprocess,bullmq').split(',');
  if (modes.includes('inprocess')) await runThroughput(false);
  if (modes.includes('bullmq') && process.env.REDIS_URL) await runThroughput(true);
}

async function historyBench(): Promise<void> {
  const database = await benchDatabase(DB, 'machines');
  if (!database) return;
  const url = new URL(database.url);
  const redis = process.env.REDIS_URL;
  const env = {
    DATABASE_URL: url.toString(),
    MADANG_APPS: 'machines',
    MACHINE_SIM_LATENCY_MS: '0',
    // one queue prefix for the API and the worker (processEnv() picks a new one per call)
    ...(redis ? { REDIS_URL: redis, RUN_WORKERS: 'false', REDIS_PREFIX: `madang-bench-history-${process.pid}` } : {}),
  };
  const server = await startServer(env);
  const worker = redis ? await startProcess('worker', processEnv(env), false) : undefined;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    const api = (path: string, token?: string, body?: unknown, method = body ? 'POST' : 'GET') =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }).then(async (r) => (await r.json()) as { result: Record<string, unknown> & { id: number } });
    const signup = await api('/api/sign-up/', undefined, { username: 'bench', password: 'benchpassword', email: 'bench@example.com' });
    const token = (signup.result.token as { access: string }).access;
    const userId = (signup.result.user as { id: number }).id;
    const auth = { authorization: `Bearer ${token}` };
    const ids: number[] = [];
    for (let i = 0; i < 300; i++) ids.push((await api('/api/machines/', token, { name: `m${i}`, location: 'bench' })).result.id);

    // 1,000,000 finished runs on one machine, a second apart, results mixed (1 mostly, some 2 and 4)
    const big = ids[0]!;
    const t0 = Date.now();
    await db.query(
      `insert into machines_runs (machine_id, worker_id, machine_owner_id, command, status, result, request_datetime, finished_at)
       select $1, $2, $2, case when g % 2 = 0 then 'START' else 'STOP' end, 'done', (array[1, 1, 1, 1, 1, 1, 1, 1, 2, 4])[1 + g % 10],
              now() - g * interval '1 second', now()
       from generate_series(1, $3::int) g`,
      [big, userId, HISTORY_ROWS],
    );
    await db.query('analyze machines_runs');
    const insertS = ((Date.now() - t0) / 1000).toFixed(1);

    const hist = `/api/machines/${big}/history/`;
    const from = new Date(Date.now() - 400_000 * 1000).toISOString();
    const to = new Date(Date.now() - 300_000 * 1000).toISOString();
    const http: Array<[string, Result]> = [
      ['GET /api/machines/?page_size=100 (300 machines)', await cannon({ url: `${server.url}/api/machines/?page_size=100`, headers: auth, connections: 10 })],
      [`GET history page 1 (50 rows of ${HISTORY_ROWS.toLocaleString('en')})`, await cannon({ url: `${server.url}${hist}?page_size=50`, headers: auth, connections: 10 })],
      ['GET history ?result=4 (1 row in 10)', await cannon({ url: `${server.url}${hist}?result=4&page_size=50`, headers: auth, connections: 10 })],
      ['GET history ?from=…&to=… (100,000 s window)', await cannon({ url: `${server.url}${hist}?from=${from}&to=${to}&page_size=50`, headers: auth, connections: 10 })],
      ['GET history page 100 (offset 4,950)', await cannon({ url: `${server.url}${hist}?page=100&page_size=50`, headers: auth, connections: 10 })],
    ];
    printTable(`machines HTTP, 10 connections, ${DURATION} s each (PostgreSQL${redis ? ' + Redis' : ''}; ${HISTORY_ROWS.toLocaleString('en')} rows inserted in ${insertS} s)`, http.map(([name, r]) => ({
      endpoint: name, 'req/s': r.rps, 'p50 ms': r.p50, 'p99 ms': r.p99, 'errors/non-2xx': `${r.errors}/${r.non2xx}`,
    })));

    const plans: Array<Record<string, string | number>> = [];
    for (const [name, where] of [
      ['machine page 1', ''],
      ['machine ?result=4', 'and result = 4'],
      ['machine ?from&to', `and request_datetime >= '${from}' and request_datetime <= '${to}'`],
    ] as const) {
      const plan = await db.query(
        `explain (analyze, format json) select * from machines_runs where machine_id = ${big} ${where}
         order by request_datetime desc nulls last, id desc nulls last limit 51`,
      );
      const p = (plan.rows[0] as { 'QUERY PLAN': Array<{ 'Execution Time': number; Plan: { Plans?: Array<{ 'Node Type': string; 'Index Name'?: string }> } }> })['QUERY PLAN'][0]!;
      const scan = p.Plan.Plans?.[0];
      plans.push({ query: name, 'execution ms': p['Execution Time'].toFixed(3), plan: `${scan?.['Node Type'] ?? ''} ${scan?.['Index Name'] ?? ''}` });
    }
    printTable('history SQL on PostgreSQL (EXPLAIN ANALYZE, one page)', plans);

  } finally {
    await db.end();
    await worker?.stop();
    await server.stop();
    await database.drop();
  }
}
