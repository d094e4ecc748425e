// Uploads and polls without running the job: input checks in the order a client can fix them,
// the owner-only rules of every task route, and polls that only read.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { truncatedJpeg } from '../../../test/fixtures/images.js';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';
import {
  createTemplate,
  elevenMegabytes,
  facelessPhoto,
  hundredMegapixelHeader,
  multipart,
  signupLogin,
  type User,
} from '../../../test/fixtures/igemoji/helpers.js';

let t: TestApp;
let photo: Buffer;
beforeAll(async () => {
  photo = await facelessPhoto();
});
beforeEach(async () => {
  await t?.close();
  t = await buildTestApp({ apps: ['igemoji'], workers: false });
});
afterAll(() => t?.close());

type Err = { error: { code: string } };

function upload(user: User | undefined, fields: Record<string, Buffer | string>, url = '/api/v1/faces/', mime = 'image/jpeg') {
  const mp = multipart(fields, mime);
  return t.app.inject({ method: 'POST', url, payload: mp.payload, headers: { ...mp.headers, ...(user?.auth ?? {}) } });
}

describe('upload checks', () => {
  it('checks the token, the fields, the template and the image before writing anything', async () => {
    const u = await signupLogin(t, 'uploader');
    const { id } = await createTemplate(t, u);
    const cases: Array<[Record<string, Buffer | string>, number, string?, (User | null)?, string?]> = [
      [{ emoji_id: String(id), image: photo }, 401, 'TOKEN_NOT_FOUND', null],
      [{ emoji_id: String(id) }, 400, 'IMAGE_REQUIRED'],
      [{ image: photo }, 400, 'VALIDATION_ERROR'],
      [{ emoji_id: 'abc', image: photo }, 400, 'VALIDATION_ERROR'],
      [{ emoji_id: '999999', image: photo }, 404, 'TEMPLATE_NOT_FOUND'],
      [{ emoji_id: String(id), image: photo, user_id: String(u.id + 7) }, 403, 'USER_MISMATCH'],
      [{ emoji_id: String(id), image: Buffer.from('GIF89a not supported') }, 415, 'UNSUPPORTED_IMAGE_TYPE', u, 'image/gif'],
      [{ emoji_id: String(id), image: elevenMegabytes() }, 413],
      [{ emoji_id: String(id), image: await hundredMegapixelHeader() }, 422, 'IMAGE_TOO_MANY_PIXELS', u, 'image/png'],
      [{ emoji_id: String(id), image: await truncatedJpeg() }, 422, 'INVALID_IMAGE'],
    ];
    for (const [fields, status, code, who, mime] of cases) {
      const res = await upload(who === null ? undefined : (who ?? u), fields, '/api/v1/faces/', mime);
      expect(res.statusCode, `${status} ${res.body}`).toBe(status);
      if (code) expect(json<Err>(res).error.code).toBe(code);
    }
    const rows = await t.container.core.db.execute(sql`select count(*)::int as n from igemoji_faces`);
    expect((rows as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(0);
  });
});

describe('task routes belong to their owner', () => {
  it('answers 202 with a task id on both paths; polls are reads; another user gets 404', async () => {
    const owner = await signupLogin(t, 'owner');
    const other = await signupLogin(t, 'other');
    const builtin = json<Array<{ id: number }>>(await t.app.inject({ url: '/api/v1/emojis/pages/1' }))[0]!.id;
    const ids: string[] = [];
    for (const url of ['/api/v1/faces/', '/api/v1/faces/results/tasks']) {
      const res = await upload(owner, { emoji_id: String(builtin), image: photo, user_id: String(owner.id) }, url);
      expect(res.statusCode, res.body).toBe(202);
      ids.push(json<{ task_id: string }>(res).task_id);
    }
    for (const taskId of ids) {
      for (const url of [`/api/v1/faces/?task_id=${taskId}`, `/api/v1/faces/results/tasks/${taskId}`]) {
        const first = await t.app.inject({ url, headers: owner.auth });
        expect(first.statusCode).toBe(200);
        expect(json(first)).toEqual({ ai_result: 'notyet', status: 'queued', task_id: taskId });
        expect((await t.app.inject({ url, headers: owner.auth })).body).toBe(first.body);
        const theirs = await t.app.inject({ url, headers: other.auth });
        expect(theirs.statusCode).toBe(404);
        expect(json<Err>(theirs).error.code).toBe('TASK_NOT_FOUND');
        // no token: the random task id is the key (the original front end polls without one)
        const anonymous = await t.app.inject({ url });
        expect(anonymous.statusCode).toBe(200);
        expect(anonymous.body).toBe(first.body);
        expect((await t.app.inject({ url, headers: { authorization: 'garbage' } })).statusCode).toBe(401);
      }
      const mismatch = await t.app.inject({ url: `/api/v1/faces/?task_id=${taskId}&user_id=${other.id}`, headers: owner.auth });
      expect(mismatch.statusCode).toBe(403);
    }
    expect((await t.app.inject({ url: '/api/v1/faces/?task_id=not-a-uuid', headers: owner.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/faces/results/tasks/00000000-0000-4000-8000-000000000000', headers: owner.auth })).statusCode).toBe(404);
    const results = await t.container.core.db.execute(sql`select count(*)::int as n from igemoji_results`);
    expect((results as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(0);
    expect((await t.app.inject({ url: '/api/v1/faces/results/images/00000000-0000-4000-8000-000000000000.jpg' })).statusCode).toBe(404);
  });

  it('forgets a task id after 24 hours', async () => {
    const owner = await signupLogin(t, 'old');
    const builtin = json<Array<{ id: number }>>(await t.app.inject({ url: '/api/v1/emojis/pages/1' }))[0]!.id;
    const { task_id } = json<{ task_id: string }>(await upload(owner, { emoji_id: String(builtin), image: photo }));
    await t.container.core.db.execute(sql`update igemoji_faces set created_at = now() - interval '25 hours' where task_id = ${task_id}`);
    expect((await t.app.inject({ url: `/api/v1/faces/?task_id=${task_id}`, headers: owner.auth })).statusCode).toBe(404);
  });
});

describe('the job contract', () => {
  it('recovers pending and stale tasks, and marks a task AI_ERROR when retries run out', async () => {
    const owner = await signupLogin(t, 'jobs');
    const builtin = json<Array<{ id: number }>>(await t.app.inject({ url: '/api/v1/emojis/pages/1' }))[0]!.id;
    const { task_id } = json<{ task_id: string }>(await upload(owner, { emoji_id: String(builtin), image: photo }));
    const job = t.container.apps.find((a) => a.name === 'igemoji')!.jobs[0]!;
    expect(await job.recover!(true)).toEqual([{ payload: { taskId: task_id }, jobId: `t-${task_id}` }]);
    // a worker died mid-job: once its lease ran out the task is handed out again under a new job id
    await t.container.core.db.execute(sql`update igemoji_faces set status = 'running', attempts = 1, lease_until = now() - interval '1 second' where task_id = ${task_id}`);
    expect(await job.recover!(false)).toEqual([{ payload: { taskId: task_id }, jobId: `t-${task_id}-a1` }]);
    await job.onFailed!({ taskId: task_id }, new Error('boom'));
    const failed = json(await t.app.inject({ url: `/api/v1/faces/?task_id=${task_id}`, headers: owner.auth }));
    expect(failed).toMatchObject({ ai_result: 'false', status: 'failed', reason: 'AI_ERROR' });
    expect(await job.recover!(true)).toEqual([]);
  });
});
