import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { createMachine, http, makeStaff, operate, runToEnd, signUp } from './helpers.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function connect(url: string): Promise<{ ws: WebSocket; messages: Array<Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Array<Record<string, unknown>> = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as Record<string, unknown>;
      messages.push(m);
      if (m.type === 'ready') resolve({ ws, messages });
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

async function until(fn: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GET /ws/machines/?token= (live status)', () => {
  it('pushes run transitions and status changes of the caller’s machines only; staff see all', async () => {
    t = await buildTestApp({ apps: ['machines'] });
    const a = await signUp(t);
    const b = await signUp(t);
    const staff = await signUp(t);
    await makeStaff(t, staff);
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const sa = await connect(`${base}/ws/machines/?token=${a.token}`);
    const sb = await connect(`${base}/ws/machines/?token=${b.token}`);
    const ss = await connect(`${base}/ws/machines/?token=${staff.token}`);
    const m = await createMachine(t, a);
    await runToEnd(t, a, m.id, 'START');
    await until(() => sa.messages.some((x) => x.type === 'machine' && (x.machine as { status: number }).status === 2));
    const states = sa.messages.filter((x) => x.type === 'run').map((x) => (x.run as { state: string }).state);
    expect(states).toEqual(['pending', 'running', 'done']);
    await until(() => ss.messages.filter((x) => x.type === 'run').length === 3);
    expect(sb.messages.map((x) => x.type)).toEqual(['ready']);
    for (const s of [sa, sb, ss]) s.ws.close();
  });

  it('refuses a missing or bad token before the upgrade', async () => {
    t = await buildTestApp({ apps: ['machines'] });
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    await expect(connect(`${base}/ws/machines/`)).rejects.toThrow('HTTP 401');
    await expect(connect(`${base}/ws/machines/?token=garbage`)).rejects.toThrow('HTTP 401');
  });
});

describe('LOG_DIR streams (docs/apps/machines.md §7)', () => {
  it('server, system, error and worker logs as JSON lines, rotated by size', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'machines-logs-'));
    t = await buildTestApp({ apps: ['machines'], env: { LOG_DIR: dir, LOG_MAX_BYTES: '2048', LOG_LEVEL: 'info' } });
    const a = await signUp(t);
    const m = await createMachine(t, a);
    await runToEnd(t, a, m.id, 'START');
    expect((await operate(t, a, m.id, 'JUMP')).res.statusCode).toBe(400);
    for (let i = 0; i < 20; i++) await http(t).get(`/api/machines/?token=secret-${i}`, a.token);
    // log lines reach the files asynchronously: wait for the last request's line, not a fixed time
    await until(() => {
      try {
        const last = readFileSync(path.join(dir, 'server.log'), 'utf8').trim().split('\n').at(-1) ?? '';
        return last.includes('"path":"/api/machines/"') && readdirSync(dir).includes('worker.log');
      } catch {
        return false;
      }
    });
    const files = readdirSync(dir).sort();
    expect(files).toEqual(expect.arrayContaining(['server.log', 'server.log.1', 'system.log', 'worker.log']));
    const server = readFileSync(path.join(dir, 'server.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(server.at(-1)).toMatchObject({ stream: 'server', method: 'GET', path: '/api/machines/', status: 200, user_id: a.id });
    expect(readFileSync(path.join(dir, 'server.log'), 'utf8')).not.toContain('secret-');
    const worker = readFileSync(path.join(dir, 'worker.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(worker.some((w) => w.msg === 'run finished' && w.result === 1)).toBe(true);
  });
});
