// The MQTT driver against the real Mosquitto on 127.0.0.1:1883 (docs/apps/machines.md §10.2),
// through madang's HTTP API: a fake machine (an MQTT client of the test) answers commands on a
// topic prefix unique to this run. START/STOP end to end, a refused command, a silent machine
// (reply timeout → PENDING), a broker that is not there, the allow-list, telemetry stored.
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../../../../test/harness.js';
import { createMachine, http, machineStatus, runToEnd, signUp, type Client } from './helpers.js';

const BROKER = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const PREFIX = `madang-test/${process.pid}-${randomBytes(4).toString('hex')}`;

type Mode = 'ok' | 'refuse' | 'silent';

class FakeMachine {
  readonly received: Array<{ command: string; correlation_id: string; run_id: number; attempt: number }> = [];
  mode: Mode = 'ok';
  constructor(readonly client: MqttClient, readonly topic: string) {}

  static async start(topic: string): Promise<FakeMachine> {
    const client = await mqtt.connectAsync(BROKER, { clientId: `fake-${randomBytes(4).toString('hex')}` });
    const m = new FakeMachine(client, topic);
    client.on('message', (_t, buf) => {
      const cmd = JSON.parse(buf.toString()) as FakeMachine['received'][number];
      m.received.push(cmd);
      if (m.mode === 'silent') return;
      const reply = m.mode === 'ok' ? { correlation_id: cmd.correlation_id, result: 1 } : { correlation_id: cmd.correlation_id, result: 2, reason: 'door open' };
      void client.publishAsync(`${topic}/reply`, JSON.stringify(reply), { qos: 1 });
    });
    await client.subscribeAsync(`${topic}/cmd`, { qos: 1 });
    return m;
  }
}

let t: TestApp;
let a: Client;
const machines: FakeMachine[] = [];

beforeAll(async () => {
  t = await buildTestApp({
    apps: ['machines'],
    env: {
      MACHINE_CONNECT_ALLOWLIST: '127.0.0.1:1883,127.0.0.1:9',
      MACHINE_REPLY_TIMEOUT_MS: '1500',
      MACHINE_CONNECT_TIMEOUT_MS: '1500',
      MACHINE_SIM_TELEMETRY_MS: '0',
      MACHINE_ALARM_SWEEP_MS: '0',
    },
  });
  a = await signUp(t);
});

afterAll(async () => {
  for (const m of machines) await m.client.endAsync(true);
  await t?.close();
});

async function mqttMachine(suffix: string) {
  const m = await createMachine(t, a, { name: `mqtt-${suffix}` });
  const topic = `${PREFIX}/${suffix}`;
  const res = await http(t).put(`/api/machines/${m.id}/connection/`, { protocol: 'mqtt', url: BROKER, topic }, a.token);
  expect(res.statusCode, res.body).toBe(200);
  const fake = await FakeMachine.start(topic);
  machines.push(fake);
  return { m, fake };
}

describe('MQTT driver (real Mosquitto)', () => {
  it('START and STOP end to end: QoS 1 command with the run’s correlation id, reply read, status set', async () => {
    const { m, fake } = await mqttMachine('press');
    const start = await runToEnd(t, a, m.id, 'START');
    expect(start).toMatchObject({ state: 'done', result: 1, status_after: 2 });
    expect(fake.received).toEqual([{ command: 'START', correlation_id: `run-${start.id}`, run_id: start.id, attempt: 1 }]);
    expect(await machineStatus(t, a, m.id)).toBe(2);
    const stop = await runToEnd(t, a, m.id, 'STOP');
    expect(stop).toMatchObject({ state: 'done', result: 1, status_after: 1 });
    expect(fake.received.map((c) => c.command)).toEqual(['START', 'STOP']);
  });

  it('a machine that refuses: REMOTEFAILED, status ERROR', async () => {
    const { m, fake } = await mqttMachine('refuser');
    fake.mode = 'refuse';
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ state: 'done', result: 2, status_after: 4 });
    expect(await machineStatus(t, a, m.id)).toBe(4);
  });

  it('a silent machine: the command was delivered, no reply in time → PENDING (state unknown), sent once', async () => {
    const { m, fake } = await mqttMachine('silent');
    fake.mode = 'silent';
    const run = await runToEnd(t, a, m.id, 'START');
    expect(run).toMatchObject({ state: 'done', result: 4, reason: 'reply_timeout', status_after: 3 });
    expect(fake.received).toHaveLength(1);
  });

  it('a broker that is not there: nothing sent, INTERNALFAILED, status unchanged', async () => {
    const m = await createMachine(t, a, { name: 'nobroker' });
    const put = await http(t).put(`/api/machines/${m.id}/connection/`, { protocol: 'mqtt', url: 'mqtt://127.0.0.1:9', topic: `${PREFIX}/x` }, a.token);
    expect(put.statusCode, put.body).toBe(200);
    const run = await runToEnd(t, a, m.id, 'START');
    expect(run).toMatchObject({ state: 'failed', result: 3, reason: 'connection_failed' });
    expect(await machineStatus(t, a, m.id)).toBe(1);
  });

  it('endpoints are validated: scheme, allow-list (SSRF), credentials in the URL, topic wildcards; password never returned', async () => {
    const m = await createMachine(t, a, { name: 'validate' });
    const put = (body: Record<string, unknown>) => http(t).put(`/api/machines/${m.id}/connection/`, body, a.token);
    const field = async (body: Record<string, unknown>) => {
      const res = await put(body);
      expect(res.statusCode, res.body).toBe(400);
      return Object.keys(json<{ error: { fields: Record<string, unknown> } }>(res).error.fields);
    };
    expect(await field({ protocol: 'mqtt', url: 'mqtt://10.0.0.5:1883', topic: 'a/b' })).toEqual(['url']);
    expect(await field({ protocol: 'mqtt', url: 'mqtt://127.0.0.1:1884', topic: 'a/b' })).toEqual(['url']);
    expect(await field({ protocol: 'mqtt', url: 'http://127.0.0.1:1883', topic: 'a/b' })).toEqual(['url']);
    expect(await field({ protocol: 'mqtt', url: 'mqtt://u:p@127.0.0.1:1883', topic: 'a/b' })).toEqual(['url']);
    expect(await field({ protocol: 'mqtt', url: BROKER, topic: 'a/#' })).toEqual(['topic']);
    expect(await field({ protocol: 'mqtt', url: BROKER })).toEqual(['topic']);
    expect(await field({ protocol: 'opcua', url: BROKER, node_id: 'ns=1;s=M' })).toEqual(['url']);
    const okRes = await put({ protocol: 'mqtt', url: BROKER, topic: `${PREFIX}/v`, username: 'line', password: 'secret-pw' });
    expect(okRes.statusCode, okRes.body).toBe(200);
    expect(okRes.body).not.toContain('secret-pw');
    expect(json<{ result: Record<string, unknown> }>(okRes).result).toMatchObject({ username: 'line', has_password: true });
    const b = await signUp(t);
    expect((await http(t).get(`/api/machines/${m.id}/connection/`, b.token)).statusCode).toBe(404);
    expect((await http(t).put(`/api/machines/${m.id}/connection/`, { protocol: 'mqtt', url: BROKER, topic: 'x' }, b.token)).statusCode).toBe(404);
  });

  it('telemetry published on T/telemetry is stored and shows on the floor view', async () => {
    const { m, fake } = await mqttMachine('telemetry');
    const deadline = Date.now() + 20_000;
    let latest: Record<string, unknown> | null = null;
    let n = 0;
    // the subscription is made when the connection is saved; publish until a reading arrives
    while (!latest) {
      if (Date.now() > deadline) throw new Error('no telemetry stored');
      n++;
      await fake.client.publishAsync(
        `${fake.topic}/telemetry`,
        JSON.stringify({ state: 2, cycle_time_ms: 21_500, good_parts: 1000 + n, reject_parts: 3, barrel_temp_c: 231.5, mould_temp_c: 44 }),
        { qos: 1 },
      );
      await new Promise((r) => setTimeout(r, 100));
      const res = await http(t).get('/api/machines/floor/', a.token);
      const row = json<{ result: Array<{ id: number; latest: Record<string, unknown> | null }> }>(res).result.find((r) => r.id === m.id);
      latest = row?.latest ?? null;
    }
    expect(latest).toMatchObject({ state: 2, cycle_time_ms: 21_500, reject_parts: 3, barrel_temp_c: 231.5, mould_temp_c: 44 });
    // malformed payloads are dropped, not stored
    await fake.client.publishAsync(`${fake.topic}/telemetry`, '{"barrel_temp_c": "hot"}', { qos: 1 });
    await fake.client.publishAsync(`${fake.topic}/telemetry`, JSON.stringify([{ good_parts: 5000, state: 2 }]), { qos: 1 });
    await expect
      .poll(async () => {
        const res = await http(t).get('/api/machines/floor/', a.token);
        return json<{ result: Array<{ id: number; latest: { good_parts: number } | null }> }>(res).result.find((r) => r.id === m.id)?.latest?.good_parts;
      }, { timeout: 10_000 })
      .toBe(5000);
    const series = await http(t).get(`/api/machines/${m.id}/telemetry/?bucket=60`, a.token);
    const pts = json<{ result: { points: Array<{ samples: number }> } }>(series).result.points;
    expect(pts.reduce((s, p) => s + p.samples, 0)).toBeGreaterThanOrEqual(2);
  });
});
