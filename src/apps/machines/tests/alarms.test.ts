// Alarms through HTTP and the machines WebSocket (docs/apps/machines.md §10.5): rules raise and
// clear alarms from readings (threshold, out_of_range for a duration, state_error) and from the
// sweep (no_data), each pushed live to the owner only, kept in history, acknowledged by the owner.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildTestApp, json, type TestApp } from '../../../../test/harness.js';
import { FakeDriver } from '../../../../test/fakes/fake-driver.js';
import { machinesAppWith } from '../index.js';
import { createMachine, http, signUp } from './helpers.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Msg = Record<string, unknown> & { type: string; event?: string; alarm?: { id: number; kind: string; active: boolean; rule_id: number } };

function connect(url: string): Promise<{ ws: WebSocket; messages: Msg[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Msg[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as Msg;
      messages.push(m);
      if (m.type === 'ready') resolve({ ws, messages });
    });
    ws.on('error', reject);
  });
}

async function until(fn: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const alarmsOf = (messages: Msg[], event: string) => messages.filter((m) => m.type === 'alarm' && m.event === event).map((m) => m.alarm!);

describe('alarm rules → alarms (HTTP + WebSocket)', () => {
  it('threshold, out_of_range for a duration and state_error raise and clear; live to the owner only; history; owner acknowledges', async () => {
    t = await buildTestApp({
      apps: ['machines'],
      definitions: { machines: machinesAppWith({ driver: new FakeDriver() }) },
      env: { MACHINE_ALARM_SWEEP_MS: '0' },
    });
    const a = await signUp(t);
    const b = await signUp(t);
    const m = await createMachine(t, a);
    const api = http(t);
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const wa = await connect(`${base}/ws/machines/?token=${a.token}`);
    const wb = await connect(`${base}/ws/machines/?token=${b.token}`);

    const rule = async (body: Record<string, unknown>) => {
      const res = await api.post(`/api/machines/${m.id}/alarm-rules/`, body, a.token);
      expect(res.statusCode, res.body).toBe(201);
      return json<{ result: { id: number } }>(res).result.id;
    };
    const hot = await rule({ kind: 'threshold', metric: 'barrel_temp_c', max: 250, severity: 'critical' });
    const mould = await rule({ kind: 'out_of_range', metric: 'mould_temp_c', min: 30, max: 60, duration_s: 60 });
    const err = await rule({ kind: 'state_error' });
    const send = async (...readings: Array<Record<string, unknown>>) => {
      const res = await api.post(`/api/machines/${m.id}/telemetry/`, { readings }, a.token);
      expect(res.statusCode, res.body).toBe(201);
    };
    const t0 = Date.now() - 10 * 60_000;
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();

    await send({ ts: at(0), barrel_temp_c: 260, mould_temp_c: 45, state: 2 });
    await until(() => alarmsOf(wa.messages, 'raised').length === 1);
    expect(alarmsOf(wa.messages, 'raised')[0]).toMatchObject({ rule_id: hot, kind: 'threshold', active: true });
    await send({ ts: at(1), barrel_temp_c: 240 });
    await until(() => alarmsOf(wa.messages, 'cleared').length === 1);

    // out of range, but not yet for 60 s: nothing; at 61 s: raised; back in range: cleared
    await send({ ts: at(10), mould_temp_c: 70 }, { ts: at(40), mould_temp_c: 72 });
    await send({ ts: at(71), mould_temp_c: 71 });
    await until(() => alarmsOf(wa.messages, 'raised').length === 2);
    expect(alarmsOf(wa.messages, 'raised')[1]).toMatchObject({ rule_id: mould, kind: 'out_of_range' });
    await send({ ts: at(80), mould_temp_c: 50 });
    await until(() => alarmsOf(wa.messages, 'cleared').length === 2);

    await send({ ts: at(90), state: 4 });
    await until(() => alarmsOf(wa.messages, 'raised').length === 3);
    const errAlarm = alarmsOf(wa.messages, 'raised')[2]!;
    expect(errAlarm).toMatchObject({ rule_id: err, kind: 'state_error', active: true });
    // the same state again does not raise a second alarm
    await send({ ts: at(91), state: 4 });

    const hist = await api.get(`/api/machines/${m.id}/alarms/`, a.token);
    const list = json<{ result: Array<{ kind: string; active: boolean }> }>(hist).result;
    expect(list.map((x) => [x.kind, x.active])).toEqual([
      ['state_error', true],
      ['out_of_range', false],
      ['threshold', false],
    ]);
    const active = json<{ result: unknown[] }>(await api.get(`/api/machines/${m.id}/alarms/?active=true`, a.token)).result;
    expect(active).toHaveLength(1);

    // acknowledge: owner only; another user gets 404, as from every machines object they cannot see
    expect((await api.post(`/api/machines/${m.id}/alarms/${errAlarm.id}/ack/`, {}, b.token)).statusCode).toBe(404);
    expect((await api.get(`/api/machines/${m.id}/alarms/`, b.token)).statusCode).toBe(404);
    expect((await api.post(`/api/machines/${m.id}/alarms/999999/ack/`, {}, a.token)).statusCode).toBe(404);
    const ack = await api.post(`/api/machines/${m.id}/alarms/${errAlarm.id}/ack/`, {}, a.token);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(json<{ result: { acknowledged_by: number; active: boolean } }>(ack).result).toMatchObject({ acknowledged_by: a.id, active: true });
    await until(() => alarmsOf(wa.messages, 'acknowledged').length === 1);
    await send({ ts: at(100), state: 2 });
    await until(() => alarmsOf(wa.messages, 'cleared').length === 3);

    // live telemetry went to the owner as well; nothing of A's reached B
    expect(wa.messages.some((x) => x.type === 'telemetry' && x.machine_id === m.id)).toBe(true);
    expect(wb.messages.map((x) => x.type)).toEqual(['ready']);
    wa.ws.close();
    wb.ws.close();
  });

  it('no_data: raised by the sweep after the silence, cleared by the next reading', async () => {
    t = await buildTestApp({
      apps: ['machines'],
      definitions: { machines: machinesAppWith({ driver: new FakeDriver() }) },
      env: { MACHINE_ALARM_SWEEP_MS: '100' },
    });
    const a = await signUp(t);
    const m = await createMachine(t, a);
    const api = http(t);
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const wa = await connect(`${base}/ws/machines/?token=${a.token}`);
    const res = await api.post(`/api/machines/${m.id}/alarm-rules/`, { kind: 'no_data', duration_s: 1 }, a.token);
    expect(res.statusCode, res.body).toBe(201);
    await until(() => alarmsOf(wa.messages, 'raised').length === 1);
    expect(alarmsOf(wa.messages, 'raised')[0]).toMatchObject({ kind: 'no_data' });
    await api.post(`/api/machines/${m.id}/telemetry/`, { readings: [{ state: 2 }] }, a.token);
    await until(() => alarmsOf(wa.messages, 'cleared').length === 1);
    wa.ws.close();
  });

  it('rules are validated and bounded; only the owner changes them', async () => {
    t = await buildTestApp({ apps: ['machines'], definitions: { machines: machinesAppWith({ driver: new FakeDriver() }) }, env: { MACHINE_ALARM_SWEEP_MS: '0' } });
    const a = await signUp(t);
    const b = await signUp(t);
    const m = await createMachine(t, a);
    const api = http(t);
    const post = (body: unknown, token = a.token) => api.post(`/api/machines/${m.id}/alarm-rules/`, body, token);
    expect((await post({ kind: 'threshold', max: 10 })).statusCode).toBe(400);
    expect((await post({ kind: 'threshold', metric: 'barrel_temp_c' })).statusCode).toBe(400);
    expect((await post({ kind: 'threshold', metric: 'barrel_temp_c', min: 10, max: 5 })).statusCode).toBe(400);
    expect((await post({ kind: 'out_of_range', metric: 'barrel_temp_c', max: 5 })).statusCode).toBe(400);
    expect((await post({ kind: 'no_data' })).statusCode).toBe(400);
    expect((await post({ kind: 'no_data', duration_s: 10 ** 9 })).statusCode).toBe(400);
    expect((await post({ kind: 'wat' })).statusCode).toBe(400);
    expect((await post({ kind: 'state_error' }, b.token)).statusCode).toBe(404);
    const ok = await post({ kind: 'state_error' });
    const id = json<{ result: { id: number } }>(ok).result.id;
    expect((await api.del(`/api/machines/${m.id}/alarm-rules/${id}/`, b.token)).statusCode).toBe(404);
    expect((await api.del(`/api/machines/${m.id}/alarm-rules/${id}/`, a.token)).statusCode).toBe(200);
    expect((await api.del(`/api/machines/${m.id}/alarm-rules/${id}/`, a.token)).statusCode).toBe(404);
  });
});
