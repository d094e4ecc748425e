// machines on real PostgreSQL + Redis with separate processes: API instances that only enqueue,
// BullMQ `worker` processes that carry runs out, a worker SIGKILLed mid-run, and live status
// crossing from one API instance to a socket held by another.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { scratchDatabase } from '../databases.js';
import { eventually, processEnv, realServices, startProcess, type Proc } from '../process.js';

const DB = 'madang_e2e_machines';
let base: Record<string, string>;
let database: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
let env: Record<string, string>;
let k = 0;
// each test gets its own queue prefix: a worker still shutting down from the previous test must
// not pick up this test's jobs
beforeEach(() => {
  env = { ...base, REDIS_PREFIX: `${base.REDIS_PREFIX}-${++k}` };
});

beforeAll(async () => {
  const real = realServices()!;
  database = await scratchDatabase(real.DATABASE_URL, DB);
  base = processEnv({
    DATABASE_URL: database.url,
    REDIS_URL: real.REDIS_URL,
    MADANG_APPS: 'machines',
    RUN_WORKERS: 'false',
    MACHINE_SIM_LATENCY_MS: '0',
  });
}, 60_000);

afterAll(async () => {
  await database?.drop().catch(() => undefined);
});

/**
 * SIGKILL the worker for real: `tsx` runs the program in a child node process, and a SIGKILL to
 * tsx alone would leave that child running (and finishing the run).
 */

type Json = Record<string, unknown> & { result?: Record<string, unknown> };

async function call(base: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

let n = 0;
async function user(base: string): Promise<{ id: number; token: string }> {
  const name = `e2e${Date.now()}${++n}`;
  const r = await call(base, 'POST', '/api/sign-up/', undefined, { username: name, password: 'password1', email: `${name}@example.com` });
  expect(r.status).toBe(201);
  const result = r.body.result as { user: { id: number }; token: { access: string } };
  return { id: result.user.id, token: result.token.access };
}

async function machine(base: string, token: string): Promise<number> {
  const r = await call(base, 'POST', '/api/machines/', token, { name: 'press', location: 'A' });
  expect(r.status).toBe(201);
  return (r.body.result as { id: number }).id;
}

async function command(base: string, token: string, id: number, cmd: string): Promise<number> {
  const r = await call(base, 'POST', `/api/machines/${id}/operation/`, token, { command: cmd });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return (r.body.result as { run_id: number }).run_id;
}

const runOf = async (base: string, token: string, id: number, runId: number) =>
  (await call(base, 'GET', `/api/machines/${id}/runs/${runId}/`, token)).body.result as { state: string; result: number | null; attempts: number };

describe('machines across processes (PostgreSQL + Redis + BullMQ)', () => {
  it('a run goes through BullMQ to a separate worker process', async () => {
    const api = await startProcess('serve', env);
    const worker = await startProcess('worker', env);
    try {
      const u = await user(api.url);
      const id = await machine(api.url, u.token);
      const runId = await command(api.url, u.token, id, 'START');
      const run = await eventually(async () => {
        const r = await runOf(api.url, u.token, id, runId);
        return r.state === 'done' ? r : undefined;
      }, 30_000);
      expect(run.result).toBe(1);
      const m = await call(api.url, 'GET', `/api/machines/${id}/`, u.token);
      expect((m.body.result as { status: number }).status).toBe(2);
      // concurrency holds across the pool too: two STOPs at once, one accepted
      const both = await Promise.all([
        call(api.url, 'POST', `/api/machines/${id}/operation/`, u.token, { command: 'STOP' }),
        call(api.url, 'POST', `/api/machines/${id}/operation/`, u.token, { command: 'STOP' }),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    } finally {
      await worker.stop();
      await api.stop();
    }
  }, 90_000);

  it('a worker SIGKILLed mid-run: a new worker finishes the run; the machine is not stuck', async () => {
    const slow = { ...env, MACHINE_SIM_LATENCY_MS: '4000' };
    const api = await startProcess('serve', slow);
    let worker: Proc = await startProcess('worker', slow);
    try {
      const u = await user(api.url);
      const id = await machine(api.url, u.token);
      const runId = await command(api.url, u.token, id, 'START');
      await eventually(async () => (await runOf(api.url, u.token, id, runId)).state === 'running', 30_000, 50);
      await worker.stop('SIGKILL'); // the process itself (spawned as node --import tsx)
      expect((await runOf(api.url, u.token, id, runId)).state).toBe('running');
      // (no waiting here: `attempts: 2` below proves the new worker, not the dead one, finished it)
      worker = await startProcess('worker', slow);
      const run = await eventually(async () => {
        const r = await runOf(api.url, u.token, id, runId);
        return r.state !== 'running' && r.state !== 'pending' ? r : undefined;
      }, 45_000, 200);
      expect(run).toMatchObject({ state: 'done', result: 1, attempts: 2 });
      const stop = await command(api.url, u.token, id, 'STOP');
      const after = await eventually(async () => {
        const r = await runOf(api.url, u.token, id, stop);
        return r.state === 'done' ? r : undefined;
      }, 30_000);
      expect(after.result).toBe(1);
    } finally {
      await worker.stop();
      await api.stop();
    }
  }, 120_000);

  it('live status reaches a socket on another API instance (Redis pub/sub)', async () => {
    const a = await startProcess('serve', env);
    const b = await startProcess('serve', env);
    const worker = await startProcess('worker', env);
    try {
      const u = await user(a.url);
      const id = await machine(a.url, u.token);
      const ws = new WebSocket(`${b.url.replace('http', 'ws')}/ws/machines/?token=${u.token}`);
      const messages: Array<Record<string, unknown>> = [];
      ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as Record<string, unknown>));
      await eventually(async () => messages.some((m) => m.type === 'ready'), 10_000, 50);
      await command(a.url, u.token, id, 'START');
      await eventually(
        async () => messages.some((m) => m.type === 'machine' && (m.machine as { status: number }).status === 2),
        30_000,
        50,
      );
      const states = messages.filter((m) => m.type === 'run').map((m) => (m.run as { state: string }).state);
      expect(states).toEqual(['pending', 'running', 'done']);
      ws.close();
    } finally {
      await worker.stop();
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 90_000);
});
