// Per-user limit on open analyses (UPLOAD_MAX_PENDING_PER_USER), through HTTP with the workers
// off so every accepted task stays queued until the test finishes it by hand.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../core/db/client.js';
import { syntheticFace } from '../../../test/fixtures/images.js';
import { multipart, upload, uploadOk, zodiacUser, type ZUser } from '../../../test/fixtures/zodiac.js';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let me: ZUser;
let photo: Buffer;
beforeAll(async () => {
  photo = await syntheticFace();
});
beforeEach(async () => {
  t = await buildTestApp({ apps: ['zodiac'], workers: false, env: { UPLOAD_MAX_PENDING_PER_USER: '2' } });
  me = await zodiacUser(t);
});
afterEach(() => t?.close());

const count = async (table: string) =>
  rowsOf<{ n: number }>(await t.container.core.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;

/** blobs written by zodiac so far (originals and thumbnails) */
async function blobs(): Promise<number> {
  const dir = path.join(t.container.core.config.DATA_DIR, 'uploads', 'zodiac');
  return (await readdir(dir).catch(() => [])).length;
}

type Err = { error: { code: string; message: string } };

/** an upload as the fixture sends it, in the given language */
function uploadIn(user: ZUser, lang: 'ko' | 'en') {
  const mp = multipart({ filename: photo });
  return t.app.inject({
    method: 'POST',
    url: `/api/users/${user.uuid}/results/tasks`,
    payload: mp.payload,
    headers: { ...mp.headers, ...user.auth, 'accept-language': lang },
  });
}

describe('per-user limit on open analyses', () => {
  it('the third upload while two are queued answers 429 with Retry-After, in both languages, and stores nothing', async () => {
    await uploadOk(t, me, photo);
    await uploadOk(t, me, photo);
    expect(await blobs()).toBe(4);
    const res = await upload(t, me, photo);
    expect(res.statusCode, res.body).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(json<Err>(res).error).toEqual({ code: 'TOO_MANY_PENDING_TASKS', message: '처리 중인 분석이 너무 많습니다. 잠시 후 다시 시도해 주세요.' });
    const en = await uploadIn(me, 'en');
    expect(en.statusCode).toBe(429);
    expect(json<Err>(en).error.message).toBe('Too many analyses are still in progress. Please try again shortly.');
    expect(await count('zodiac_pictures')).toBe(2);
    expect(await count('zodiac_tasks')).toBe(2);
    expect(await blobs()).toBe(4);
  });

  it('a finished or failed task frees its place; another user is not affected', async () => {
    const first = await uploadOk(t, me, photo);
    const second = await uploadOk(t, me, photo);
    expect((await upload(t, me, photo)).statusCode).toBe(429);
    const other = await zodiacUser(t);
    await uploadOk(t, other, photo);
    await uploadOk(t, other, photo);

    await t.container.core.db.execute(sql`update zodiac_tasks set status = 'done', finished_at = now() where id = ${first.task_id}`);
    await uploadOk(t, me, photo);
    expect((await upload(t, me, photo)).statusCode).toBe(429);
    await t.container.core.db.execute(sql`update zodiac_tasks set status = 'failed', error_code = 'NO_FACE_DETECTED', finished_at = now() where id = ${second.task_id}`);
    await uploadOk(t, me, photo);
    expect(await count('zodiac_tasks')).toBe(6);
  });

  it('concurrent uploads of one user cannot exceed the limit', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => upload(t, me, photo)));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([202, 202, 429, 429, 429, 429]);
    expect(await count('zodiac_tasks')).toBe(2);
    expect(await blobs()).toBe(4);
  });
});
