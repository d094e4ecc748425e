// The analysis task's paths on a scripted analyzer, in milliseconds (no model is loaded): success,
// no face (fails at once), a transient failure retried to success, retries running out, and a
// worker that stops mid-analysis while another takes the task over (the late result is discarded).
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../core/db/client.js';
import { syntheticFace } from '../../../test/fixtures/images.js';
import { poll, uploadOk, zodiacUser } from '../../../test/fixtures/zodiac.js';
import { FakeAnalyzer, fakeFace, threadCrash } from '../../../test/fakes/fake-analyzer.js';
import { buildTestApp, type TestApp } from '../../../test/harness.js';

let photo: Buffer;
beforeAll(async () => {
  photo = await syntheticFace();
});
const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

/** `sharing`: another worker of the same deployment (same database rows, same uploads) */
async function appWith(analyzer: FakeAnalyzer, sharing?: TestApp): Promise<TestApp> {
  // a poll of an unfinished task is held (ZODIAC_POLL_WAIT_MS): a short hold here, where a task hangs on purpose
  const env = { ZODIAC_POLL_WAIT_MS: '300', ...(sharing ? { DATA_DIR: sharing.container.core.config.DATA_DIR } : {}) };
  const t = await buildTestApp({ apps: ['zodiac'], analyzer, keepData: Boolean(sharing), env });
  open.push(t);
  return t;
}

async function settle(t: TestApp, user: Awaited<ReturnType<typeof zodiacUser>>, taskId: string) {
  await t.container.core.queue.drain();
  return (await poll(t, user, taskId)).body;
}

const taskRow = async (t: TestApp, id: string) =>
  rowsOf<{ status: string; attempts: number; error_code: string | null }>(
    await t.container.core.db.execute(sql`select status, attempts, error_code from zodiac_tasks where id = ${id}`),
  )[0]!;
const resultRows = async (t: TestApp) => rowsOf<{ n: number }>(await t.container.core.db.execute(sql`select count(*)::int as n from zodiac_results`))[0]!.n;

describe('the analysis task on a scripted analyzer', () => {
  it('success: done with a top 3, one analysis of the photo and one of its mirror image', async () => {
    const fake = new FakeAnalyzer();
    const t = await appWith(fake);
    const u = await zodiacUser(t);
    const { task_id } = await uploadOk(t, u, photo);
    const done = await settle(t, u, task_id);
    expect(done).toMatchObject({ status: 'done', task_id });
    expect(Object.keys(done.result as object)).toHaveLength(3);
    expect(fake.calls).toBe(2);
    expect(await taskRow(t, task_id)).toEqual({ status: 'done', attempts: 1, error_code: null });
    expect(await resultRows(t)).toBe(3);
  });

  it('no face: failed at once with NO_FACE_DETECTED, no retry', async () => {
    const fake = new FakeAnalyzer({ faces: [] });
    const t = await appWith(fake);
    const u = await zodiacUser(t);
    const { task_id } = await uploadOk(t, u, photo);
    expect(await settle(t, u, task_id)).toMatchObject({ ai_result: 'false', status: 'failed', error: { code: 'NO_FACE_DETECTED' } });
    expect(fake.calls).toBe(1);
    expect(await taskRow(t, task_id)).toEqual({ status: 'failed', attempts: 1, error_code: 'NO_FACE_DETECTED' });
  });

  it('a crashed vision thread once: released, retried, then done', async () => {
    const fake = new FakeAnalyzer().next({ error: threadCrash() });
    const t = await appWith(fake);
    const u = await zodiacUser(t);
    const { task_id } = await uploadOk(t, u, photo);
    expect(await settle(t, u, task_id)).toMatchObject({ status: 'done' });
    expect(fake.calls).toBe(3); // the crash, then the photo and its mirror image
    expect(await taskRow(t, task_id)).toEqual({ status: 'done', attempts: 2, error_code: null });
  });

  it('failing every attempt: failed after 3 with ANALYSIS_FAILED (stored as TASK_FAILED)', async () => {
    const fake = new FakeAnalyzer({ error: threadCrash() });
    const t = await appWith(fake);
    const u = await zodiacUser(t);
    const { task_id } = await uploadOk(t, u, photo);
    expect(await settle(t, u, task_id)).toMatchObject({ ai_result: 'false', status: 'failed', error: { code: 'ANALYSIS_FAILED' } });
    expect(fake.calls).toBe(3);
    expect(await taskRow(t, task_id)).toEqual({ status: 'failed', attempts: 3, error_code: 'TASK_FAILED' });
    expect(await resultRows(t)).toBe(0);
  });

  it('a poll of an unfinished analysis is held until it ends (the front end polls once), else notyet when the hold runs out', async () => {
    const slow = new FakeAnalyzer();
    const gate = slow.hang();
    slow.next(gate.step);
    const t = await buildTestApp({ apps: ['zodiac'], analyzer: slow, env: { ZODIAC_POLL_WAIT_MS: '20000' } });
    open.push(t);
    const u = await zodiacUser(t);
    const { task_id } = await uploadOk(t, u, photo);
    await slow.untilCalls(1);
    const held = poll(t, u, task_id);
    let answered = false;
    void held.then(() => (answered = true));
    // the poll is listening before the analysis is let go: it cannot have answered yet
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    gate.release();
    expect((await held).body).toMatchObject({ status: 'done', task_id, ranking: expect.any(Array) });

    // a hold that runs out answers notyet (appWith holds 300 ms)
    const stuck = new FakeAnalyzer();
    const hung = stuck.hang();
    stuck.next(hung.step);
    const s = await appWith(stuck);
    const v = await zodiacUser(s);
    const second = await uploadOk(s, v, photo);
    await stuck.untilCalls(1);
    expect((await poll(s, v, second.task_id)).body).toMatchObject({ status: 'analyzing', ai_result: 'notyet' });
    hung.release();
    await s.container.core.queue.drain();
  });

  it('a worker stops mid-analysis: another takes over when the lease runs out; never done twice', async () => {
    const stuck = new FakeAnalyzer();
    const late = stuck.hang({ faces: [fakeFace({ size: 90 })] });
    stuck.next(late.step);
    const first = await appWith(stuck);
    const u = await zodiacUser(first);
    const { task_id } = await uploadOk(first, u, photo);
    await stuck.untilCalls(1);
    expect((await poll(first, u, task_id)).body).toMatchObject({ status: 'analyzing', ai_result: 'notyet' });
    await first.container.core.db.execute(sql`update zodiac_tasks set lease_until = now() - interval '1 millisecond' where id = ${task_id}`);

    const healthy = new FakeAnalyzer();
    const second = await appWith(healthy, first); // its start-up sweep finds the expired lease
    const done = await settle(second, u, task_id);
    expect(done).toMatchObject({ status: 'done' });
    expect(healthy.calls).toBe(2); // the photo and its mirror image

    late.release();
    await first.container.core.queue.drain();
    expect(await taskRow(second, task_id)).toEqual({ status: 'done', attempts: 2, error_code: null });
    expect(await resultRows(second)).toBe(3);
    expect((await poll(second, u, task_id)).body).toEqual(done);
  });
});
