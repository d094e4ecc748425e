import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { startFakeMachine, type FakeMachine } from '../../../../test/fakes/fake-machine.js';
import { HttpDriver } from '../drivers/http.js';
import { createMachine, history, http, machineStatus, operate, runToEnd, signUp } from './helpers.js';

let fake: FakeMachine;
let t: TestApp;
beforeAll(async () => {
  fake = await startFakeMachine(3_000);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  fake.received.length = 0;
  t = await buildTestApp({
    apps: ['machines'],
    env: { MACHINE_DRIVER: 'http', MACHINE_HTTP_ALLOWLIST: '127.0.0.1', MACHINE_HTTP_TIMEOUT_MS: '500' },
  });
});

describe('HTTP driver against a fake machine', () => {
  it('success: POSTs form-encoded command=START, then command=STOP; status follows', async () => {
    const a = await signUp(t);
    const m = await createMachine(t, a, { endpoint_url: `${fake.url}/ok` });
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ result: 1, state: 'done', reason: null });
    expect(await machineStatus(t, a, m.id)).toBe(2);
    expect(await runToEnd(t, a, m.id, 'STOP')).toMatchObject({ result: 1 });
    expect(fake.received).toEqual([
      { path: '/ok', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'command=START' },
      { path: '/ok', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'command=STOP' },
    ]);
    expect(await machineStatus(t, a, m.id)).toBe(1);
  });

  it('every kind of reply maps to the original result codes without crashing (docs/apps/machines.md §9.8)', async () => {
    const a = await signUp(t);
    const cases: Array<[string, number, string | null, number]> = [
      ['/fail', 2, 'remote_failed', 4],
      ['/odd', 4, 'unknown_reply', 3],
      ['/nokey', 4, 'reply_without_result', 3],
      ['/text', 4, 'non_json_reply', 3],
      ['/error500', 4, 'non_json_reply', 3],
      ['/string-ok', 1, null, 2],
      ['/slow', 3, 'timeout', 1],
      ['/redirect', 3, 'redirect_refused', 1],
    ];
    for (const [path, result, reason, status] of cases) {
      const m = await createMachine(t, a, { name: path, endpoint_url: `${fake.url}${path}` });
      const run = await runToEnd(t, a, m.id, 'START');
      expect(run, path).toMatchObject({ result, reason, state: result === 3 ? 'failed' : 'done' });
      expect(await machineStatus(t, a, m.id), path).toBe(status);
    }
    // the redirect was not followed: /ok was never asked
    expect(fake.received.some((r) => r.path === '/ok')).toBe(false);
  });

  it('a host off the allow-list, a closed port, or no endpoint → INTERNALFAILED, nothing sent', async () => {
    const a = await signUp(t);
    const cases: Array<[string | undefined, string]> = [
      [`http://localhost:${fake.port}/ok`, 'host_not_allowed'],
      [`http://169.254.169.254/latest/meta-data/`, 'host_not_allowed'],
      [undefined, 'no_endpoint'],
    ];
    for (const [endpoint, reason] of cases) {
      const m = await createMachine(t, a, endpoint ? { endpoint_url: endpoint } : {});
      expect(await runToEnd(t, a, m.id, 'START'), reason).toMatchObject({ result: 3, state: 'failed', reason });
      expect(await machineStatus(t, a, m.id)).toBe(1);
    }
    expect(fake.received).toHaveLength(0);
    const closed = await startFakeMachine();
    await closed.close();
    const m = await createMachine(t, a, { endpoint_url: `${closed.url}/ok` });
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ result: 3, reason: 'connection_failed' });
  });

  it('location is never used as a URL (docs/apps/machines.md §9.3)', async () => {
    const a = await signUp(t);
    const m = await createMachine(t, a, { location: `${fake.url}/ok` });
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ result: 3, reason: 'no_endpoint' });
    expect(fake.received).toHaveLength(0);
  });

  it('the original sequence on a real wire: remote 2 → ERROR, then remote other on STOP → PENDING', async () => {
    const a = await signUp(t);
    const other = await signUp(t);
    const m = await createMachine(t, a, { endpoint_url: `${fake.url}/fail` });
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ result: 2 });
    expect(await machineStatus(t, a, m.id)).toBe(4);
    // as in the original run: the status is set to RUNNING by PUT, and the machine now answers oddly
    const put = await http(t).put(`/api/machines/${m.id}/`, { name: m.name, location: m.location, status: 2, endpoint_url: `${fake.url}/odd` }, a.token);
    expect(put.statusCode).toBe(200);
    expect(await runToEnd(t, a, m.id, 'STOP')).toMatchObject({ result: 4 });
    expect(await machineStatus(t, a, m.id)).toBe(3);
    expect((await operate(t, other, m.id, 'STOP')).res.statusCode).toBe(404);
    expect((await history(t, a, `/api/machines/${m.id}/history/`)).map((r) => r.result)).toEqual([4, 2]);
  });
});

describe('allow-list matching', () => {
  it('hostnames match any port, host:port entries only that port; case-insensitive', () => {
    const d = new HttpDriver(['Machines.Example', '10.0.0.5:8080'], 1000);
    expect(d.allowed(new URL('http://machines.example:9999/x'))).toBe(true);
    expect(d.allowed(new URL('http://10.0.0.5:8080/'))).toBe(true);
    expect(d.allowed(new URL('http://10.0.0.5:8081/'))).toBe(false);
    expect(d.allowed(new URL('http://machines.example.evil.com/'))).toBe(false);
    expect(d.allowed(new URL('http://evil.com/?machines.example'))).toBe(false);
  });
});
