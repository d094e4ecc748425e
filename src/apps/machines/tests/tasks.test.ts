// The run task's paths on a scripted driver, in milliseconds: success, remote failure, a driver
// that throws (retried, then failed for good), and a worker that stops mid-run while another takes
// the run over once its lease ran out (the late result is discarded: never done twice).
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../core/db/client.js';
import { buildTestApp, json, type TestApp } from '../../../../test/harness.js';
import { FakeDriver } from '../../../../test/fakes/fake-driver.js';
import { machinesAppWith } from '../index.js';
import { createMachine, history, http, machineStatus, operate, runToEnd, signUp, type RunOut } from './helpers.js';

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

async function appWith(driver: FakeDriver, keepData = false): Promise<TestApp> {
  const t = await buildTestApp({ apps: ['machines'], keepData, definitions: { machines: machinesAppWith({ driver }) } });
  open.push(t);
  return t;
}

const runRow = async (t: TestApp, id: number) =>
  rowsOf<{ status: string; attempts: number; error_code: string | null; lease_owner: string | null }>(
    await t.container.core.db.execute(sql`select status, attempts, error_code, lease_owner from machines_runs where id = ${id}`),
  )[0]!;

describe('the run task on a scripted driver', () => {
  it('success: done, result 1, the machine RUNNING, one command sent', async () => {
    const driver = new FakeDriver();
    const t = await appWith(driver);
    const a = await signUp(t);
    const m = await createMachine(t, a);
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ state: 'done', result: 1, status_after: 2, attempts: 1, reason: null });
    expect(await machineStatus(t, a, m.id)).toBe(2);
    expect(driver.sent).toEqual([{ machineId: m.id, command: 'START' }]);
  });

  it('remote failure: done with result 2, the machine in ERROR (a result, not a retry)', async () => {
    const driver = new FakeDriver({ outcome: { result: 2, reason: 'remote_failed' } });
    const t = await appWith(driver);
    const a = await signUp(t);
    const m = await createMachine(t, a);
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ state: 'done', result: 2, reason: 'remote_failed', status_after: 4, attempts: 1 });
    expect(await machineStatus(t, a, m.id)).toBe(4);
    expect(driver.sent).toHaveLength(1);
  });

  it('a driver that throws once: released, retried, then done on the second claim', async () => {
    const driver = new FakeDriver().next({ error: new Error('socket hang up') });
    const t = await appWith(driver);
    const a = await signUp(t);
    const m = await createMachine(t, a);
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ state: 'done', result: 1, attempts: 2 });
    expect(driver.sent).toHaveLength(2);
    expect(await machineStatus(t, a, m.id)).toBe(2);
  });

  it('a driver that always throws: failed after 3 attempts (result 3, job_failed); the machine is free again', async () => {
    const driver = new FakeDriver({ error: new Error('driver bug') });
    const t = await appWith(driver);
    const a = await signUp(t);
    const m = await createMachine(t, a);
    const run = await runToEnd(t, a, m.id, 'START');
    expect(run).toMatchObject({ state: 'failed', result: 3, reason: 'job_failed', attempts: 3, status_after: null });
    expect(await runRow(t, run.id)).toMatchObject({ status: 'failed', error_code: 'TASK_FAILED', lease_owner: null });
    expect(driver.sent).toHaveLength(3);
    expect(await machineStatus(t, a, m.id)).toBe(1);
    // a failed job for the queue too, kept and counted: the failed-jobs gauge (BullMQ in the
    // real-services pass, the in-process queue otherwise) and the job counter show it
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^queue_jobs\{queue="machines\.run",state="failed"\} 1$/m);
    expect(metrics).toMatch(/^jobs_total\{job="machines\.run",status="failed"\} 3$/m);
    driver.always({ outcome: { result: 1, reason: null } });
    expect(await runToEnd(t, a, m.id, 'START')).toMatchObject({ state: 'done', result: 1 });
  });

  it('a worker stops mid-run: another takes the run over when the lease runs out; the late result is discarded', async () => {
    const stuck = new FakeDriver();
    const late = stuck.hang({ outcome: { result: 2, reason: 'remote_failed' } });
    stuck.next(late.step);
    const first = await appWith(stuck);
    const a = await signUp(first);
    const m = await createMachine(first, a);
    const { res, body } = await operate(first, a, m.id, 'START');
    expect(res.statusCode).toBe(202);
    const runId = (body.result as { run_id: number }).run_id;
    await stuck.untilSent(1);
    // the first worker is frozen inside the driver; its lease runs out (as if its process died)
    await first.container.core.db.execute(sql`update machines_runs set lease_until = now() - interval '1 millisecond' where id = ${runId}`);

    const healthy = new FakeDriver();
    const second = await appWith(healthy, true); // its start-up sweep finds the expired lease
    await second.container.core.queue.drain();
    const taken = json<{ result: RunOut }>(await http(second).get(`/api/machines/${m.id}/runs/${runId}/`, a.token)).result;
    expect(taken).toMatchObject({ state: 'done', result: 1, attempts: 2, status_after: 2 });
    expect(healthy.sent).toHaveLength(1);

    late.release(); // the first worker wakes up with a stale claim: it must write nothing
    await first.container.core.queue.drain();
    const after = json<{ result: RunOut }>(await http(second).get(`/api/machines/${m.id}/runs/${runId}/`, a.token)).result;
    expect(after).toMatchObject({ state: 'done', result: 1, attempts: 2, status_after: 2 });
    expect(await machineStatus(second, a, m.id)).toBe(2);
    expect(await history(second, a, `/api/machines/${m.id}/history/`)).toHaveLength(1);
  });

  it('a run whose claims keep dying fails with worker_lost instead of running a fourth time', async () => {
    const driver = new FakeDriver();
    const t = await appWith(driver);
    const a = await signUp(t);
    const m = await createMachine(t, a);
    await t.close();
    const idle = await buildTestApp({ apps: ['machines'], keepData: true, workers: false });
    open.push(idle);
    const runId = ((await operate(idle, a, m.id, 'START')).body.result as { run_id: number }).run_id;
    await idle.container.core.db.execute(
      sql`update machines_runs set status = 'running', attempts = 3, lease_owner = gen_random_uuid(), lease_until = now() - interval '1 second' where id = ${runId}`,
    );
    await idle.close();
    const t2 = await appWith(driver, true);
    await t2.container.core.queue.drain();
    expect(await runRow(t2, runId)).toMatchObject({ status: 'failed', error_code: 'WORKER_LOST', attempts: 4 });
    expect(json<{ result: RunOut }>(await http(t2).get(`/api/machines/${m.id}/runs/${runId}/`, a.token)).result).toMatchObject({ state: 'failed', result: 3, reason: 'worker_lost' });
    expect(driver.sent).toHaveLength(0);
  });
});
