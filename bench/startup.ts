// npm run bench -- startup: how long `serve` takes to answer 200 on /readyz, and its idle RSS,
// for each app set: embedded (PGlite) with a new data dir, with an existing one, and after a
// `kill -9`; then the same apps on PostgreSQL (DATABASE_URL) side by side, in the same run. "all five"
// is read once its face-model thread is warm, and again without that thread (RUN_WORKERS=false);
// the difference is printed as the warm vision thread's cost.
//
// The server runs as production runs it: the compiled dist/main.js when it exists (npm run build),
// otherwise the TypeScript entry through tsx (printed in the table's title). STARTUP_RUNNER=tsx
// forces the TypeScript entry, e.g. to compare the two.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDatabase, printTable, rssOf } from './lib.js';
import { freePort } from '../test/spawn.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist', 'main.js');
const ALL = 'auth,machines,mealbuddy,zodiac,igemoji';
// "all five" runs jobs in process, so it loads the face models in a thread at start: its idle RSS is
// read once that thread is ready. The same apps with RUN_WORKERS=false have no such thread (their
// analyses would run on `worker` processes): the difference is the warm vision thread's cost.
const SETS: Array<{ name: string; apps: string; env?: Record<string, string> }> = [
  { name: 'auth alone', apps: 'auth' },
  { name: 'all five', apps: ALL },
  { name: 'all five, no vision thread', apps: ALL, env: { RUN_WORKERS: 'false' } },
];
/** idle: RSS read this long after the first 200 (the start's garbage has had time to go) */
const SETTLE_MS = Number(process.env.STARTUP_SETTLE_MS ?? 3000);

function runner(): { label: string; args: string[] } {
  if (process.env.STARTUP_RUNNER !== 'tsx' && existsSync(DIST)) return { label: 'node dist/main.js', args: [DIST, 'serve'] };
  return { label: 'node --import tsx src/main.ts', args: ['--import', 'tsx', 'src/main.ts', 'serve'] };
}

interface Started {
  child: ChildProcess;
  ms: number;
  out: () => string;
}

async function start(env: Record<string, string>): Promise<Started & { port: number }> {
  const port = await freePort();
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.REDIS_URL;
  const t0 = performance.now();
  const child = spawn(process.execPath, runner().args, {
    cwd: ROOT,
    env: {
      ...base,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
      WEATHER_PROVIDER: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return { child, ms: performance.now() - t0, out: () => out, port };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`no 200 on /readyz in 180 s:\n${out}`);
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** RSS once the process is idle: the face models (if it loads them) loaded, then SETTLE_MS */
async function idleRss({ child, port }: { child: ChildProcess; port: number }): Promise<number> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const body = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { checks?: { vision?: string } };
    if (body.checks?.vision !== 'loading') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return rssOf(child.pid!);
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export default async function startup(): Promise<void> {
  const rows: Array<Record<string, string | number>> = [];
  for (const set of SETS) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'madang-bench-startup-'));
    const env = { ...set.env, MADANG_APPS: set.apps, DATA_DIR: dataDir };
    try {
      // 1. new data dir
      const fresh = await start(env);
      const rssFresh = await idleRss(fresh);
      await stop(fresh.child, 'SIGTERM');
      rows.push({ apps: set.name, database: 'PGlite', start: 'new data dir', 'first 200': fmt(fresh.ms), 'idle RSS': `${rssFresh} MB` });
      // 2. existing data dir (clean shutdown before)
      const again = await start(env);
      const rssAgain = await idleRss(again);
      // kill -9: no shutdown checkpoint, so the next start runs crash recovery from the WAL
      await stop(again.child, 'SIGKILL');
      rows.push({ apps: set.name, database: 'PGlite', start: 'existing data dir', 'first 200': fmt(again.ms), 'idle RSS': `${rssAgain} MB` });
      // 3. after kill -9
      const recovered = await start(env);
      const rssRecovered = await idleRss(recovered);
      await stop(recovered.child, 'SIGTERM');
      rows.push({ apps: set.name, database: 'PGlite', start: 'after kill -9', 'first 200': fmt(recovered.ms), 'idle RSS': `${rssRecovered} MB` });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const pg = await benchDatabase(`madang_bench_startup_${process.pid}`, 'startup (PostgreSQL side)');
    if (!pg) continue;
    const dataDir2 = mkdtempSync(path.join(os.tmpdir(), 'madang-bench-startup-'));
    try {
      const env2 = { ...set.env, MADANG_APPS: set.apps, DATA_DIR: dataDir2, DATABASE_URL: pg.url };
      const fresh = await start(env2);
      const rssFresh = await idleRss(fresh);
      await stop(fresh.child, 'SIGTERM');
      rows.push({ apps: set.name, database: 'PostgreSQL', start: 'new database', 'first 200': fmt(fresh.ms), 'idle RSS': `${rssFresh} MB` });
      const again = await start(env2);
      const rssAgain = await idleRss(again);
      await stop(again.child, 'SIGTERM');
      rows.push({ apps: set.name, database: 'PostgreSQL', start: 'existing database', 'first 200': fmt(again.ms), 'idle RSS': `${rssAgain} MB` });
    } finally {
      await pg.drop();
      rmSync(dataDir2, { recursive: true, force: true });
    }
  }
  printTable(
    `startup: first 200 on /readyz and idle RSS (${runner().label}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`,
    rows,
  );
  // the warm vision thread's cost: all five with it minus all five without it, start by start
  const mb = (r: Record<string, string | number> | undefined) => (r ? Number(String(r['idle RSS']).split(' ')[0]) : NaN);
  for (const r of rows.filter((x) => x.apps === 'all five')) {
    const twin = rows.find((x) => x.apps === 'all five, no vision thread' && x.database === r.database && x.start === r.start);
    if (twin) console.log(`warm vision thread (${r.database}, ${r.start}): ${mb(r) - mb(twin)} MB`);
  }
}
