import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../core/db/client.js';
import { buildTestApp, json, type TestApp } from '../../../../test/harness.js';
import {
  createMachine, history, http, machineStatus, makeStaff, operate, runToEnd, signUp, type Body, type Client, type RunOut,
} from './helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['machines'] });
});

const STATUSES = [0, 1, 2, 3, 4];
const NAMES = ['POWEROFF', 'READY', 'RUNNING', 'PENDING', 'ERROR'];

describe('state × command × caller (docs/apps/machines.md §6.1)', () => {
  it('every combination through HTTP: 202/404/403/409/400, the run row and the status after', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const staff = await signUp(t);
    await makeStaff(t, staff);
    const callers: Array<[string, Client]> = [['owner', owner], ['other', other], ['staff', staff]];
    for (const status of STATUSES) {
      for (const command of ['START', 'STOP', 'start', 'JUMP']) {
        for (const [who, caller] of callers) {
          const m = await createMachine(t, owner, { name: `${NAMES[status]}-${command}-${who}`, status });
          const { res, body } = await operate(t, caller, m.id, command);
          const label = `${NAMES[status]} ${command} by ${who}`;
          const upper = command.toUpperCase();
          const allowed = (upper === 'START' && status === 1) || (upper === 'STOP' && status === 2);
          const rows = () => history(t, owner, `/api/machines/${m.id}/history/`);
          if (who === 'other') {
            // issue 15 #8: a stranger's command is 404 whatever the body, and written nowhere
            expect(res.statusCode, label).toBe(404);
            expect(body, label).toMatchObject({ status: 0, error_code: 5 });
            expect(await rows(), label).toHaveLength(0);
          } else if (command === 'JUMP') {
            expect(res.statusCode, label).toBe(400);
            expect(body, label).toMatchObject({ status: 0, error_code: 2, error: { code: 'UNKNOWN_COMMAND' } });
            expect(await rows(), label).toHaveLength(0); // IGNORE (6): not recorded
          } else if (who !== 'owner') {
            expect(res.statusCode, label).toBe(403); // staff see the machine but may not run it
            expect(await rows(), label).toHaveLength(0);
          } else if (!allowed) {
            expect(res.statusCode, label).toBe(409);
            expect(body, label).toMatchObject({ status: 0, error_code: 2, error: { code: 'INVALID_STATE' } });
            const [row] = await rows();
            expect(row, label).toMatchObject({ result: 7, state: 'rejected', worker: owner.id });
          } else {
            expect(res.statusCode, label).toBe(202);
            expect(res.headers.location).toMatch(new RegExp(`/api/machines/${m.id}/runs/\\d+/$`));
            expect(body, label).toMatchObject({ status: 1, result: { command: upper, message: 'Operation Accepted', run: { state: 'pending', result: null } } });
            await t.container.core.queue.drain();
            const [row] = await rows();
            expect(row, label).toMatchObject({ result: 1, state: 'done', status_after: upper === 'START' ? 2 : 1 });
          }
          const expected = allowed && who === 'owner' && command !== 'JUMP' ? (upper === 'START' ? 2 : 1) : status;
          expect(await machineStatus(t, owner, m.id), label).toBe(expected);
        }
      }
    }
  });

  it('missing or null command → 400 required; non-string → 400 unknown', async () => {
    const a = await signUp(t);
    const m = await createMachine(t, a);
    for (const payload of [{}, { command: null }]) {
      const res = await http(t).post(`/api/machines/${m.id}/operation/`, payload, a.token);
      expect(res.statusCode).toBe(400);
      expect(json<Body>(res).message).toEqual({ command: ['이 필드는 필수 항목입니다.'] });
    }
    const res = await http(t).post(`/api/machines/${m.id}/operation/`, { command: 1 }, a.token);
    expect(json<Body>(res)).toMatchObject({ error: { code: 'UNKNOWN_COMMAND' }, message: { command: ['"1"이 유효하지 않은 선택(choice)입니다.'] } });
  });
});

describe('the original\'s observed sequence (docs/apps/machines.md §6.2), with the bugs fixed', () => {
  it('START → RUNNING, STOP → READY, refusals recorded, remote failure → ERROR, simulator failure rate', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const m = await createMachine(t, owner);
    expect(await runToEnd(t, owner, m.id, 'START')).toMatchObject({ result: 1, state: 'done' });
    expect(await machineStatus(t, owner, m.id)).toBe(2); // §9.1: the original left it READY
    expect((await operate(t, owner, m.id, 'START')).res.statusCode).toBe(409); // row 7
    expect(await runToEnd(t, owner, m.id, 'STOP')).toMatchObject({ result: 1 });
    expect(await machineStatus(t, owner, m.id)).toBe(1);
    expect((await operate(t, owner, m.id, 'STOP')).res.statusCode).toBe(409); // row 7
    expect((await operate(t, owner, m.id, 'JUMP')).res.statusCode).toBe(400); // no row
    expect((await operate(t, other, m.id, 'START')).res.statusCode).toBe(404); // no row (issue 15 #8)
    const rows = await history(t, owner, `/api/machines/${m.id}/history/`);
    expect(rows.map((r) => r.result)).toEqual([7, 1, 7, 1]);
    expect(await history(t, other, '/api/user/machines/history/')).toEqual([]);

    await t.close();
    t = await buildTestApp({ apps: ['machines'], env: { MACHINE_SIM_FAILURE_RATE: '1' } });
    const u = await signUp(t);
    const broken = await createMachine(t, u);
    expect(await runToEnd(t, u, broken.id, 'START')).toMatchObject({ result: 2, state: 'done', reason: 'remote_failed', status_after: 4 });
    expect(await machineStatus(t, u, broken.id)).toBe(4);
    expect((await operate(t, u, broken.id, 'START')).res.statusCode).toBe(409);
  });
});

describe('one run at a time per machine', () => {
  it('two concurrent STARTs: exactly one 202, the other 409 RUN_IN_PROGRESS', async () => {
    await t.close();
    t = await buildTestApp({ apps: ['machines'], workers: false });
    const a = await signUp(t);
    for (let i = 0; i < 5; i++) {
      const m = await createMachine(t, a);
      const results = await Promise.all([operate(t, a, m.id, 'START'), operate(t, a, m.id, 'START')]);
      const codes = results.map((r) => r.res.statusCode).sort();
      expect(codes).toEqual([202, 409]);
      expect(results.find((r) => r.res.statusCode === 409)!.body.error?.code).toBe('RUN_IN_PROGRESS');
      // while pending: STOP and another START are refused too, without a row
      expect((await operate(t, a, m.id, 'START')).body.error?.code).toBe('RUN_IN_PROGRESS');
    }
  });

  it('a burst of mixed commands sent at once (one statement for many): each gets the answer it would get alone', async () => {
    await t.close();
    t = await buildTestApp({ apps: ['machines'], workers: false });
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const staff = await signUp(t);
    await makeStaff(t, staff);
    const ready = [];
    for (let i = 0; i < 8; i++) ready.push(await createMachine(t, owner, { name: `ready-${i}`, status: 1 }));
    const running = await createMachine(t, owner, { name: 'running', status: 2 });
    const gone = await createMachine(t, owner, { name: 'gone' });
    expect((await http(t).del(`/api/machines/${gone.id}/`, owner.token)).statusCode).toBe(200);
    // one burst: for each ready machine START twice, STOP once, a stranger's and staff's START;
    // a STOP on the running machine; commands on a deleted and a missing machine
    const sends: Array<{ label: string; machine: number; p: ReturnType<typeof operate> }> = [];
    const send = (label: string, who: Client, machine: number, command: string) => sends.push({ label, machine, p: operate(t, who, machine, command) });
    for (const m of ready) {
      send('start', owner, m.id, 'START');
      send('stop', owner, m.id, 'STOP');
      send('stranger', stranger, m.id, 'START');
      send('start', owner, m.id, 'START');
      send('staff', staff, m.id, 'START');
    }
    send('stop-running', owner, running.id, 'STOP');
    send('deleted', owner, gone.id, 'START');
    send('missing', owner, 999_999, 'START');
    const answers = await Promise.all(sends.map(async (s) => ({ ...s, ...(await s.p) })));
    const code = (a: (typeof answers)[number]) => `${a.res.statusCode} ${a.body.error?.code ?? ''}`.trim();
    for (const m of ready) {
      const mine = answers.filter((a) => a.machine === m.id);
      const starts = mine.filter((a) => a.label === 'start').map(code).sort();
      expect(starts, `machine ${m.id}`).toEqual(['202', '409 RUN_IN_PROGRESS']);
      const accepted = mine.find((a) => a.res.statusCode === 202)!;
      expect(accepted.res.headers.location).toMatch(new RegExp(`/api/machines/${m.id}/runs/\\d+/$`));
      expect(code(mine.find((a) => a.label === 'stop')!)).toBe('409 INVALID_STATE');
      expect(mine.find((a) => a.label === 'stranger')!.res.statusCode).toBe(404);
      expect(mine.find((a) => a.label === 'staff')!.res.statusCode).toBe(403);
      // written: the accepted START (pending) and the refused STOP, on this machine, by the owner
      const rows = await history(t, owner, `/api/machines/${m.id}/history/`);
      expect(rows.map((r) => `${r.command} ${r.state} ${r.machine_id} ${r.worker}`).sort()).toEqual([
        `START pending ${m.id} ${owner.id}`,
        `STOP rejected ${m.id} ${owner.id}`,
      ]);
      const runId = (accepted.body.result as { run_id: number }).run_id;
      expect(rows.find((r) => r.command === 'START')!.id).toBe(runId);
    }
    expect(code(answers.find((a) => a.label === 'stop-running')!)).toBe('202');
    expect(answers.find((a) => a.label === 'deleted')!.res.statusCode).toBe(404);
    expect(answers.find((a) => a.label === 'missing')!.res.statusCode).toBe(404);
  });

  it('pending runs survive a restart and are carried out (recover), a stale running run is taken over', async () => {
    await t.close();
    t = await buildTestApp({ apps: ['machines'], workers: false });
    const a = await signUp(t);
    const m1 = await createMachine(t, a);
    const m2 = await createMachine(t, a);
    const r1 = (await operate(t, a, m1.id, 'START')).body.result as { run_id: number };
    const r2 = (await operate(t, a, m2.id, 'START')).body.result as { run_id: number };
    // r2 as left by a worker killed mid-run: running, lease expired
    await t.container.core.db.execute(
      sql`update machines_runs set status = 'running', attempts = 1, lease_owner = gen_random_uuid(), lease_until = now() - interval '1 second' where id = ${r2.run_id}`,
    );
    await t.close();
    t = await buildTestApp({ apps: ['machines'], keepData: true });
    await t.container.core.queue.drain();
    const runs = rowsOf<{ id: number; status: string; result: number; attempts: number }>(
      await t.container.core.db.execute(sql`select id, status, result, attempts from machines_runs order by id`),
    );
    expect(runs).toEqual([
      { id: r1.run_id, status: 'done', result: 1, attempts: 1 },
      { id: r2.run_id, status: 'done', result: 1, attempts: 2 },
    ]);
    expect(await machineStatus(t, a, m2.id)).toBe(2);
  });

  it('a run whose workers keep dying is failed after 3 takeovers; the machine accepts commands again', async () => {
    const a = await signUp(t);
    const m = await createMachine(t, a);
    await t.close();
    t = await buildTestApp({ apps: ['machines'], keepData: true, workers: false });
    const r = (await operate(t, a, m.id, 'START')).body.result as { run_id: number };
    await t.container.core.db.execute(
      sql`update machines_runs set status = 'running', attempts = 3, lease_owner = gen_random_uuid(), lease_until = now() - interval '1 second' where id = ${r.run_id}`,
    );
    await t.close();
    t = await buildTestApp({ apps: ['machines'], keepData: true });
    await t.container.core.queue.drain();
    const run = json<{ result: RunOut }>(await http(t).get(`/api/machines/${m.id}/runs/${r.run_id}/`, a.token)).result;
    expect(run).toMatchObject({ state: 'failed', result: 3, reason: 'worker_lost' });
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ result: 1 });
  });

  it('deleting a machine closes its pending run as failed', async () => {
    await t.close();
    t = await buildTestApp({ apps: ['machines'], workers: false });
    const a = await signUp(t);
    const m = await createMachine(t, a);
    const r = (await operate(t, a, m.id, 'START')).body.result as { run_id: number };
    expect((await http(t).del(`/api/machines/${m.id}/`, a.token)).statusCode).toBe(200);
    const run = json<{ result: RunOut }>(await http(t).get(`/api/machines/${m.id}/runs/${r.run_id}/`, a.token)).result;
    expect(run).toMatchObject({ state: 'failed', result: 3, reason: 'machine_deleted' });
  });

  it('run detail: owner and staff may read; others 404; wrong machine 404', async () => {
    const a = await signUp(t);
    const c = await signUp(t);
    const staff = await signUp(t);
    await makeStaff(t, staff);
    const m = await createMachine(t, a);
    const m2 = await createMachine(t, a);
    await operate(t, a, m.id, 'START');
    const [row] = await history(t, a, `/api/machines/${m.id}/history/`);
    expect((await http(t).get(`/api/machines/${m.id}/runs/${row!.id}/`, a.token)).statusCode).toBe(200);
    expect((await http(t).get(`/api/machines/${m.id}/runs/${row!.id}/`, staff.token)).statusCode).toBe(200);
    expect((await http(t).get(`/api/machines/${m.id}/runs/${row!.id}/`, c.token)).statusCode).toBe(404);
    expect((await http(t).get(`/api/machines/${m2.id}/runs/${row!.id}/`, a.token)).statusCode).toBe(404);
    expect((await http(t).get(`/api/machines/${m.id}/runs/999999/`, a.token)).statusCode).toBe(404);
  });
});
