// Runs per second through the queue, with the simulator at 0 ms: BENCH_RUN_MACHINES machines
// (default 2,000), one START each sent all at once, all awaited, then one STOP each, after a warm-up
// round on BENCH_WARMUP of them (default all). Three rates:
// - accept: 202s per second, first request sent → last answer received;
// - worker: runs per second between the first run started and the last finished (database clock);
// - end to end: runs per second, first request sent → every run finished.
// BENCH_STAGES=1 (BullMQ): the queue is paused while the requests are answered, then resumed, so
// that `accept /s` is the API alone (HTTP + row + enqueue) and `worker runs/s` the worker alone.
// CPU ms per run: the API process, the worker process (BullMQ) and the PostgreSQL backends serving
// this benchmark's database, from /proc (Linux), between the first request and the last run.
// The client is a keep-alive agent with BENCH_CONNECTIONS sockets (default 64), in this process,
// never the server's: the server and the worker are separate processes.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { processEnv, startProcess } from '../test/spawn.js';
import { benchDatabase, printTable, startServer } from './lib.js';

const MACHINES = Number(process.env.BENCH_RUN_MACHINES ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const STAGES = process.env.BENCH_STAGES === '1';
/** machines of the warm-up round (BENCH_WARMUP, default all of them; at least 1) */
const WARMUP = Math.max(1, Number(process.env.BENCH_WARMUP ?? MACHINES));

interface Reply {
  status: number;
  body: string;
}

function client(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const request = (method: string, path: string, token?: string, body?: unknown) =>
    new Promise<Reply>((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(`${base}${path}`, {
        method,
        agent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    });
  return { request, close: () => agent.destroy() };
}

export async function runThroughput(viaRedis: boolean): Promise<void> {
  const redis = process.env.REDIS_URL;
  const database = await benchDatabase(`madang_bench_runs_${viaRedis ? 'bull' : 'inproc'}`, 'machines runs');
  if (!database) return;
  const env = {
    DATABASE_URL: database.url,
    MADANG_APPS: 'machines',
    MACHINE_SIM_LATENCY_MS: '0',
    // one queue prefix for the API and the worker (processEnv() picks a new one per call): with two
    // prefixes the worker only ever sees runs through its recovery sweep
    ...(viaRedis && redis ? { REDIS_URL: redis, RUN_WORKERS: 'false', REDIS_PREFIX: `madang-bench-${process.pid}` } : {}),
  };
  // BENCH_PROFILE=<dir>: the server and the worker write V8 CPU profiles there when they stop;
  // BENCH_NODE_ARGS: more node flags for both (e.g. --import of a query counter)
  const nodeArgs = [
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  const server = await startServer(env, nodeArgs);
  const worker = viaRedis ? await startProcess('worker', processEnv({ LOG_LEVEL: 'warn', ...env }), false, nodeArgs) : undefined;
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const api = client(server.url);
  const staged = viaRedis && redis && STAGES ? new Queue('machines.run', { connection: new Redis(redis, { maxRetriesPerRequest: null }), prefix: `${env.REDIS_PREFIX}:q` }) : undefined; // the app queues under <REDIS_PREFIX>:q
  try {
    const signup = await api.request('POST', '/api/sign-up/', undefined, { username: 'bench', password: 'benchpassword', email: 'bench@example.com' });
    const { result } = JSON.parse(signup.body) as { result: { user: { id: number }; token: { access: string } } };
    const token = result.token.access;
    const ids = (
      await db.query<{ id: number }>(
        `insert into machines_machines (name, location, status, owner_id)
         select 'm' || g, 'bench', 1, $1 from generate_series(1, $2::int) g returning id`,
        [result.user.id, MACHINES],
      )
    ).rows.map((r) => Number(r.id));
    // a warm-up round (START then STOP on WARMUP machines at once) so that the connection pool,
    // the JIT and the worker are in their steady state before timing: without it the first timed
    // burst measured the warm-up (START 527 runs/s, then STOP 905, then START again 1,211); a
    // round on 500 machines was not enough (START 672, STOP 1,009), on all of them START 898 / STOP 1,176
    const warmIds = ids.slice(0, WARMUP);
    let warmed = 0;
    for (const command of ['START', 'STOP']) {
      const warm = await Promise.all(warmIds.map((id) => api.request('POST', `/api/machines/${id}/operation/`, token, { command })));
      const bad = warm.find((r) => r.status !== 202);
      if (bad) throw new Error(`warm-up ${command} answered ${bad.status}: ${bad.body}`);
      warmed += warmIds.length;
      await untilFinished(db, 0, warmed);
    }

    const rows: Array<Record<string, string | number>> = [];
    for (const command of ['START', 'STOP']) {
      const since = Number((await db.query<{ id: string }>('select coalesce(max(id), 0) as id from machines_runs')).rows[0]!.id);
      const backends = (
        await db.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')
      ).rows.map((r) => r.pid);
      const cpu0 = [cpuMs([server.pid]), cpuMs(worker ? [worker.child.pid!] : []), cpuMs(backends)];
      await staged?.pause();
      const t0 = performance.now();
      let lastAnswer = 0;
      const answers = await Promise.all(
        ids.map((id) =>
          api.request('POST', `/api/machines/${id}/operation/`, token, { command }).then((r) => {
            lastAnswer = performance.now();
            return r.status;
          }),
        ),
      );
      const accepted = answers.filter((s) => s === 202).length;
      await staged?.resume();
      await untilFinished(db, since, accepted);
      const endToEnd = (performance.now() - t0) / 1000;
      const cpu = [cpuMs([server.pid]), cpuMs(worker ? [worker.child.pid!] : []), cpuMs(backends)].map((c, i) => (c - cpu0[i]!) / accepted);
      // where a run's time went: waiting in the queue (written → claimed), running (claimed → done)
      const span = (
        await db.query<{ s: number; ok: number; first: number; wait50: number; wait99: number; run50: number; run99: number }>(
          `select extract(epoch from max(finished_at) - min(started_at))::float8 as s,
                  extract(epoch from min(started_at) - min(created_at))::float8 * 1000 as first,
                  count(*) filter (where result = 1)::int as ok,
                  percentile_cont(0.5) within group (order by extract(epoch from started_at - created_at))::float8 * 1000 as wait50,
                  percentile_cont(0.99) within group (order by extract(epoch from started_at - created_at))::float8 * 1000 as wait99,
                  percentile_cont(0.5) within group (order by extract(epoch from finished_at - started_at))::float8 * 1000 as run50,
                  percentile_cont(0.99) within group (order by extract(epoch from finished_at - started_at))::float8 * 1000 as run99
           from machines_runs where id > $1`,
          [since],
        )
      ).rows[0]!;
      rows.push({
        command,
        sent: ids.length,
        accepted,
        'succeeded': span.ok,
        'accept /s': Math.round(accepted / ((lastAnswer - t0) / 1000)),
        'worker runs/s': Math.round(accepted / span.s),
        'end-to-end runs/s': Math.round(accepted / endToEnd),
        'end to end s': endToEnd.toFixed(2),
        'first claim ms': Math.round(span.first),
        'queued ms p50/p99': `${Math.round(span.wait50)}/${Math.round(span.wait99)}`,
        'running ms p50/p99': `${Math.round(span.run50)}/${Math.round(span.run99)}`,
        'CPU ms/run api/worker/pg': `${cpu[0]!.toFixed(2)}/${worker ? cpu[1]!.toFixed(2) : '-'}/${cpu[2]!.toFixed(2)}`,
      });
    }
    const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    printTable(
      `runs through the queue (${viaRedis ? `BullMQ, 1 worker process${staged ? ', paused until every request was answered' : ''}` : 'in-process'}, simulator 0 ms, ${CONNECTIONS} client connections; load average ${load})`,
      rows,
    );
  } finally {
    await staged?.close();
    api.close();
    await db.end();
    await worker?.stop();
    await server.stop();
    await database.drop();
  }
}

/** user + system CPU ms of these processes so far (0 where /proc cannot tell) */
function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // fields after the command name (which may hold spaces): utime and stime are the 12th and 13th
      const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(rest[11]) + Number(rest[12]);
    } catch {
      // not Linux, or the process is gone
    }
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** waits until `n` runs newer than `sinceId` are finished (polls every 10 ms) */
async function untilFinished(db: pg.Client, sinceId: number, n: number): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const r = await db.query<{ n: number }>('select count(*)::int as n from machines_runs where id > $1 and finished_at is not null', [sinceId]);
    if (r.rows[0]!.n >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${r.rows[0]!.n} of ${n} runs finished in 10 minutes`);
    await new Promise((res) => setTimeout(res, 10));
  }
}
