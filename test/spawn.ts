// Real processes for end-to-end tests and benchmarks: `tsx src/main.ts <command>` with its own env,
// on a free port, waited for on /readyz, stopped (or SIGKILLed) by the caller. No vitest here, so
// bench/ can use it too; test/process.ts adds automatic cleanup.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';
const ROOT = path.resolve(import.meta.dirname, '..');
export const running = new Set<ChildProcess>();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** what every in-process test app runs with: quiet, unthrottled, no simulated machine latency */
export function inProcessEnv(dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_ENABLED: 'false',
    // model loading and PGlite start-up block the loop; backpressure has its own test
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
    MACHINE_SIM_LATENCY_MS: '0',
    // tests never reach the internet: a weather test points the source at a local fake
    WEATHER_PROVIDER: 'none',
  };
}

/** env shared by processes of one test (same data dir, secret, Redis prefix) */
export function processEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'madang-proc-')),
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_ENABLED: 'false',
    // processes never reach the internet: a weather test points the source at a local fake
    WEATHER_PROVIDER: 'none',
    REDIS_PREFIX: `madang-e2e-${process.pid}-${Date.now()}`,
    ...extra,
  };
}

export async function startProcess(
  command: 'serve' | 'worker',
  env: Record<string, string>,
  waitReady = command === 'serve',
  /** extra node flags, e.g. --cpu-prof (not allowed in NODE_OPTIONS) */
  nodeArgs: string[] = [],
): Promise<Proc> {
  const port = await freePort();
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.REDIS_URL;
  delete base.VITEST_POOL_ID;
  // node --import tsx (not the tsx CLI): signals reach our process itself, and SIGKILL kills it
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts', command], {
    cwd: ROOT,
    env: { ...base, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const proc: Proc = { child, url, port, output: () => out, stop: (signal) => stopProcess(child, signal) };
  if (waitReady) await waitFor(`${url}/readyz`, child, () => out);
  return proc;
}

async function waitFor(url: string, child: ChildProcess, out: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}):\n${out()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${url}:\n${out()}`);
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill(signal);
  });
}

/** real services for multi-process tests, when the run has them */
export function realServices(): { DATABASE_URL: string; REDIS_URL: string } | undefined {
  const db = process.env.DATABASE_URL;
  const redis = process.env.REDIS_URL;
  return db && redis ? { DATABASE_URL: db, REDIS_URL: redis } : undefined;
}

/** polls fn until it returns a truthy value */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
