// The compositing task's paths on a scripted analyzer, in milliseconds (no model is loaded):
// success (faces covered by their expression's picture), no face (fails at once), a transient
// failure retried to success, retries running out (AI_ERROR), and a worker that stops mid-task
// while another takes it over (the late result is discarded: one result row).
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../core/db/client.js';
import { createTemplate, facelessPhoto, multipart, signupLogin, type User } from '../../../test/fixtures/igemoji/helpers.js';
import { FakeAnalyzer, fakeFace, threadCrash } from '../../../test/fakes/fake-analyzer.js';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';

let photo: Buffer;
beforeAll(async () => {
  photo = await facelessPhoto(400, 400); // pixels only: the scripted analyzer says where faces are
});
const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

/** `sharing`: another worker of the same deployment (same database rows, same uploads) */
async function appWith(analyzer: FakeAnalyzer, sharing?: TestApp): Promise<TestApp> {
  const env = sharing ? { DATA_DIR: sharing.container.core.config.DATA_DIR } : undefined;
  const t = await buildTestApp({ apps: ['igemoji'], analyzer, keepData: Boolean(sharing), env });
  open.push(t);
  return t;
}

async function submit(t: TestApp, user: User, template: number): Promise<string> {
  const mp = multipart({ emoji_id: String(template), image: photo }, 'image/jpeg');
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/faces/results/tasks', payload: mp.payload, headers: { ...mp.headers, ...user.auth } });
  expect(res.statusCode, res.body).toBe(202);
  return json<{ task_id: string }>(res).task_id;
}

async function settle(t: TestApp, user: User, taskId: string) {
  await t.container.core.queue.drain();
  return json<Record<string, unknown>>(await t.app.inject({ url: `/api/v1/faces/?task_id=${taskId}`, headers: user.auth }));
}

async function start(analyzer: FakeAnalyzer) {
  const t = await appWith(analyzer);
  const user = await signupLogin(t, `u${open.length}${Date.now() % 1000}`);
  const template = (await createTemplate(t, user, '색깔')).id;
  return { t, user, template };
}

const taskRow = async (t: TestApp, id: string) =>
  rowsOf<{ status: string; attempts: number; error_code: string | null }>(
    await t.container.core.db.execute(sql`select status, attempts, error_code from igemoji_faces where task_id = ${id}`),
  )[0]!;
const resultRows = async (t: TestApp) => rowsOf<{ n: number }>(await t.container.core.db.execute(sql`select count(*)::int as n from igemoji_results`))[0]!.n;

describe('the compositing task on a scripted analyzer', () => {
  it('success: every face covered by its expression, one analysis', async () => {
    const fake = new FakeAnalyzer({ faces: [fakeFace({ cx: 110, cy: 200, size: 120, expression: 'happy' }), fakeFace({ cx: 290, cy: 200, size: 120, expression: 'sad' })] });
    const { t, user, template } = await start(fake);
    const taskId = await submit(t, user, template);
    const done = await settle(t, user, taskId);
    expect(done).toMatchObject({ ai_result: 'done', status: 'done', task_id: taskId });
    expect((done.faces as Array<{ expression: string }>).map((f) => f.expression)).toEqual(['happy', 'sad']);
    expect(fake.calls).toBe(1);
    expect(await taskRow(t, taskId)).toEqual({ status: 'done', attempts: 1, error_code: null });
  });

  it('no face: failed at once with NO_FACE, no retry', async () => {
    const fake = new FakeAnalyzer({ faces: [] });
    const { t, user, template } = await start(fake);
    const taskId = await submit(t, user, template);
    expect(await settle(t, user, taskId)).toMatchObject({ ai_result: 'false', status: 'failed', reason: 'NO_FACE' });
    expect(fake.calls).toBe(1);
  });

  it('a crashed vision thread once: released, retried, then done', async () => {
    const fake = new FakeAnalyzer().next({ error: threadCrash() });
    const { t, user, template } = await start(fake);
    const taskId = await submit(t, user, template);
    expect(await settle(t, user, taskId)).toMatchObject({ ai_result: 'done' });
    expect(fake.calls).toBe(2);
    expect(await taskRow(t, taskId)).toEqual({ status: 'done', attempts: 2, error_code: null });
  });

  it('failing every attempt: failed after 3 with AI_ERROR (stored as TASK_FAILED)', async () => {
    const fake = new FakeAnalyzer({ error: threadCrash() });
    const { t, user, template } = await start(fake);
    const taskId = await submit(t, user, template);
    expect(await settle(t, user, taskId)).toMatchObject({ ai_result: 'false', status: 'failed', reason: 'AI_ERROR' });
    expect(fake.calls).toBe(3);
    expect(await taskRow(t, taskId)).toEqual({ status: 'failed', attempts: 3, error_code: 'TASK_FAILED' });
    expect((await t.app.inject({ url: '/metrics' })).body).toMatch(/^ai_jobs_total\{status="failed"\} 1$/m);
  });

  it('a worker stops mid-task: another takes over when the lease runs out; one result', async () => {
    const stuck = new FakeAnalyzer();
    const late = stuck.hang({ faces: [fakeFace({ expression: 'angry' })] });
    stuck.next(late.step);
    const { t: first, user, template } = await start(stuck);
    const taskId = await submit(first, user, template);
    await stuck.untilCalls(1);
    await first.container.core.db.execute(sql`update igemoji_faces set lease_until = now() - interval '1 millisecond' where task_id = ${taskId}`);

    const healthy = new FakeAnalyzer({ faces: [fakeFace({ expression: 'happy' })] });
    const second = await appWith(healthy, first); // its start-up sweep finds the expired lease
    const done = await settle(second, user, taskId);
    expect(done).toMatchObject({ ai_result: 'done' });
    expect((done.faces as Array<{ expression: string }>).map((f) => f.expression)).toEqual(['happy']);

    late.release();
    await first.container.core.queue.drain();
    expect(await taskRow(second, taskId)).toEqual({ status: 'done', attempts: 2, error_code: null });
    expect(await resultRows(second)).toBe(1);
    expect(await settle(second, user, taskId)).toEqual(done);
  });
});
