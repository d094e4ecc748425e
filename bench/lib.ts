// Benchmark helpers: real server processes, a bare node:http baseline in its own process, and
// autocannon runs summarised as req/s, p50, p99 and p99.9.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { freePort, processEnv, startProcess, stopProcess } from '../test/spawn.js';

export interface Result {
  rps: number;
  p50: number;
  p99: number;
  /** 99.9th percentile latency, ms */
  p999: number;
  errors: number;
  non2xx: number;
}

export const DURATION = Number(process.env.BENCH_DURATION ?? 10);

export async function startServer(env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const proc = await startProcess('serve', processEnv({ LOG_LEVEL: 'warn', RATE_LIMIT_ENABLED: 'false', ...env }), true, nodeArgs);
  return { url: proc.url, pid: proc.child.pid!, stop: () => proc.stop() };
}

export async function cannon(opts: {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  duration?: number;
}): Promise<Result> {
  const r = await autocannon({
    url: opts.url,
    method: opts.method ?? 'GET',
    headers: opts.headers,
    body: opts.body,
    connections: opts.connections ?? 50,
    duration: opts.duration ?? DURATION,
  });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    p999: r.latency.p99_9,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

/** bare node:http answering a small JSON body, in a separate process like the API */
export async function bareBaseline(connections = 50, duration = DURATION): Promise<Result> {
  const port = await freePort();
  const child = spawn(process.execPath, [
    '-e',
    `require('http').createServer((q,s)=>{s.setHeader('content-type','application/json');s.end('{"status":"ok"}')}).listen(${port},'127.0.0.1')`,
  ]);
  await new Promise((r) => setTimeout(r, 300));
  try {
    return await cannon({ url: `http://127.0.0.1:${port}/`, connections, duration });
  } finally {
    await stopProcess(child, 'SIGKILL');
  }
}

export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** CPU seconds used so far by a process's main thread and by all its other threads (Linux /proc) */
export async function threadCpu(pid: number): Promise<{ main: number; others: number } | undefined> {
  const { readdir, readFile } = await import('node:fs/promises');
  try {
    let main = 0;
    let others = 0;
    for (const tid of await readdir(`/proc/${pid}/task`)) {
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
      // fields after the command's closing parenthesis: utime and stime are the 12th and 13th
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (!Number.isFinite(ticks)) continue;
      if (tid === String(pid)) main += ticks / 100;
      else others += ticks / 100;
    }
    return { main, others };
  } catch {
    return undefined; // not Linux
  }
}

export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  console.log(`\n## ${title}\n`);
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  console.log(`| ${cols.join(' | ')} |`);
  console.log(`|${cols.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${cols.map((c) => String(r[c] ?? '')).join(' | ')} |`);
}

export const ratio = (r: Result, base: Result) => `${((r.rps / base.rps) * 100).toFixed(0)}%`;

/** a fresh PostgreSQL database for one benchmark (DATABASE_URL names the server), or undefined */
export async function benchDatabase(name: string, bench: string): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl || !/^postgres/.test(adminUrl)) {
    console.log(`${bench} bench: set DATABASE_URL (PostgreSQL) to run it; skipped`);
    return undefined;
  }
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await admin.end();
    },
  };
}
