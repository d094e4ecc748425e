// Per-user limit on open composites (UPLOAD_MAX_PENDING_PER_USER), through HTTP with the workers
// off so every accepted task stays queued until the test finishes or fails it.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../core/db/client.js';
import { facelessPhoto, multipart, signupLogin, type User } from '../../../test/fixtures/igemoji/helpers.js';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let photo: Buffer;
let emojiId: number;
beforeAll(async () => {
  photo = await facelessPhoto();
});
beforeEach(async () => {
  t = await buildTestApp({ apps: ['igemoji'], workers: false, env: { UPLOAD_MAX_PENDING_PER_USER: '2' } });
  emojiId = json<Array<{ id: number }>>(await t.app.inject({ url: '/api/v1/emojis/pages/1' }))[0]!.id;
});
afterEach(() => t?.close());

type Err = { error: { code: string; message: string }; message: string };

function upload(user: User, lang: 'ko' | 'en' = 'ko') {
  const mp = multipart({ emoji_id: String(emojiId), image: photo }, 'image/jpeg');
  return t.app.inject({ method: 'POST', url: '/api/v1/faces/', payload: mp.payload, headers: { ...mp.headers, ...user.auth, 'accept-language': lang } });
}

async function uploadOk(user: User): Promise<string> {
  const res = await upload(user);
  expect(res.statusCode, res.body).toBe(202);
  return json<{ task_id: string }>(res).task_id;
}

const tasks = async () => rowsOf<{ n: number }>(await t.container.core.db.execute(sql`select count(*)::int as n from igemoji_faces`))[0]!.n;
const blobs = async () => (await readdir(path.join(t.container.core.config.DATA_DIR, 'uploads', 'igemoji')).catch(() => [])).length;

describe('per-user limit on open composites', () => {
  it('the third upload while two are queued answers 429 with Retry-After, in both languages, and stores nothing', async () => {
    const u = await signupLogin(t, 'busy');
    await uploadOk(u);
    await uploadOk(u);
    const stored = await blobs();
    const res = await upload(u);
    expect(res.statusCode, res.body).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    const body = json<Err>(res);
    expect(body.error).toEqual({ code: 'TOO_MANY_PENDING_TASKS', message: '처리 중인 분석이 너무 많습니다. 잠시 후 다시 시도해 주세요.' });
    expect(body.message).toBe(body.error.message);
    const en = await upload(u, 'en');
    expect(en.statusCode).toBe(429);
    expect(json<Err>(en).error.message).toBe('Too many analyses are still in progress. Please try again shortly.');
    expect(await tasks()).toBe(2);
    expect(await blobs()).toBe(stored);
  });

  it('a finished or failed task frees its place; another user is not affected', async () => {
    const u = await signupLogin(t, 'busy');
    const first = await uploadOk(u);
    const second = await uploadOk(u);
    expect((await upload(u)).statusCode).toBe(429);
    const other = await signupLogin(t, 'calm');
    await uploadOk(other);
    await uploadOk(other);

    await t.container.core.db.execute(sql`update igemoji_faces set status = 'done', finished_at = now() where task_id = ${first}`);
    await uploadOk(u);
    expect((await upload(u)).statusCode).toBe(429);
    // the queue's last attempt failing marks the task failed
    const job = t.container.apps.find((a) => a.name === 'igemoji')!.jobs[0]!;
    await job.onFailed!({ taskId: second } as never, new Error('boom'));
    await uploadOk(u);
    expect(await tasks()).toBe(6);
  });

  it('concurrent uploads of one user cannot exceed the limit', async () => {
    const u = await signupLogin(t, 'burst');
    const before = await blobs();
    const codes = (await Promise.all(Array.from({ length: 6 }, () => upload(u)))).map((r) => r.statusCode).sort();
    expect(codes).toEqual([202, 202, 429, 429, 429, 429]);
    expect(await tasks()).toBe(2);
    expect(await blobs()).toBe(before + 2);
  });
});
