// The OPC UA driver against an OPC UA server started by the test (node-opcua's server side,
// test/fakes/fake-opcua-machine.ts), through madang's HTTP API (docs/apps/machines.md §10.2):
// START/STOP end to end, a refused command, a machine that does not answer in time, the link lost
// mid-command, no server at all, and live values from the subscription, also after the server
// comes back (reconnect with back-off). A command is never sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../../../../test/harness.js';
import { FakeOpcServer, freePort } from '../../../../test/fakes/fake-opcua-machine.js';
import { createMachine, http, machineStatus, runToEnd, signUp, type Client } from './helpers.js';

let t: TestApp;
let a: Client;
let opc: FakeOpcServer;

beforeAll(async () => {
  opc = new FakeOpcServer(await freePort());
  await opc.start(['Press1', 'Refuser', 'Slow', 'Dropper', 'Live']);
  t = await buildTestApp({
    apps: ['machines'],
    env: {
      MACHINE_CONNECT_ALLOWLIST: '127.0.0.1',
      MACHINE_REPLY_TIMEOUT_MS: '2000',
      MACHINE_CONNECT_TIMEOUT_MS: '5000',
      MACHINE_SIM_TELEMETRY_MS: '0',
      MACHINE_ALARM_SWEEP_MS: '0',
    },
  });
  a = await signUp(t);
}, 120_000);

afterAll(async () => {
  await t?.close();
  for (const m of opc?.machines.values() ?? []) m.release?.();
  await opc?.stop().catch(() => undefined);
});

async function opcMachine(name: string, url = opc.url) {
  const m = await createMachine(t, a, { name });
  const res = await http(t).put(`/api/machines/${m.id}/connection/`, { protocol: 'opcua', url, node_id: `ns=1;s=${name}` }, a.token);
  expect(res.statusCode, res.body).toBe(200);
  return m;
}

describe('OPC UA driver (node-opcua server in the test)', () => {
  it('START and STOP call the machine’s methods once each; the state is read back from its status nodes', async () => {
    const m = await opcMachine('Press1');
    const fake = opc.machines.get('Press1')!;
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ state: 'done', result: 1, status_after: 2 });
    expect(fake.running).toBe(true);
    expect(await machineStatus(t, a, m.id)).toBe(2);
    expect(await runToEnd(t, a, m.id, 'STOP')).toMatchObject({ state: 'done', result: 1, status_after: 1 });
    expect(fake.calls).toEqual(['START', 'STOP']);
  }, 60_000);

  it('a refused command (Bad status code): REMOTEFAILED, status ERROR', async () => {
    const m = await opcMachine('Refuser');
    opc.machines.get('Refuser')!.behaviour = 'refuse';
    const run = await runToEnd(t, a, m.id, 'START');
    expect(run).toMatchObject({ state: 'done', result: 2, status_after: 4 });
    expect(run.reason).toContain('BadInvalidState');
  }, 60_000);

  it('a machine that does not answer in time: PENDING (state unknown), called once', async () => {
    const m = await opcMachine('Slow');
    const fake = opc.machines.get('Slow')!;
    fake.behaviour = 'hang';
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ state: 'done', result: 4, reason: 'timeout', status_after: 3 });
    expect(fake.calls).toEqual(['START']);
    fake.release?.();
  }, 60_000);

  it('no server at the endpoint: nothing sent, INTERNALFAILED, status unchanged', async () => {
    const m = await opcMachine('Nobody', `opc.tcp://127.0.0.1:${await freePort()}/UA/Madang`);
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ state: 'failed', result: 3, reason: 'connection_failed' });
    expect(await machineStatus(t, a, m.id)).toBe(1);
  }, 60_000);

  it('live values arrive through the subscription; after the link is lost mid-command the run is PENDING, and values flow again once the server is back', async () => {
    const live = await opcMachine('Live');
    const fakeLive = opc.machines.get('Live')!;
    const latestGood = async () => {
      const res = await http(t).get('/api/machines/floor/', a.token);
      return json<{ result: Array<{ id: number; latest: { good_parts: number | null; barrel_temp_c: number | null } | null }> }>(res).result.find(
        (r) => r.id === live.id,
      )?.latest?.good_parts;
    };
    fakeLive.cycle();
    fakeLive.cycle();
    await expect.poll(latestGood, { timeout: 30_000, interval: 200 }).toBe(2);

    // the link drops while the machine works on START: the call's outcome is unknown
    const d = await opcMachine('Dropper');
    const fakeDrop = opc.machines.get('Dropper')!;
    fakeDrop.behaviour = 'drop';
    const run = await runToEnd(t, a, d.id, 'START');
    expect(run).toMatchObject({ state: 'done', result: 4, status_after: 3 });
    expect(['connection_lost', 'timeout']).toContain(run.reason);
    expect(fakeDrop.calls).toEqual(['START']);
    fakeDrop.release?.();

    // the server comes back on the same port: the subscription is rebuilt (back-off) and values flow
    await opc.start(['Press1', 'Refuser', 'Slow', 'Dropper', 'Live']);
    fakeLive.cycle();
    await expect.poll(latestGood, { timeout: 60_000, interval: 250 }).toBe(3);
    // the dropped command was not sent again by any retry
    expect(fakeDrop.calls).toEqual(['START']);
  }, 120_000);
});
