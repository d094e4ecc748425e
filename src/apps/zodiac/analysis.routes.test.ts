import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { WebSocket } from 'ws';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../core/db/client.js';
import { demoPhoto, hugePng, noFaceImage, oversizedJpeg, svgImage, syntheticFace, truncatedJpeg } from '../../../test/fixtures/images.js';
import { multipart, poll, upload, uploadOk, zodiacUser, type ZUser } from '../../../test/fixtures/zodiac.js';
import { buildTestApp, json, realAnalyzer, type TestApp } from '../../../test/harness.js';

// the model loads once for the file, in a hook (slow on a busy machine), not inside a test
beforeAll(async () => {
  await realAnalyzer().ready();
}, 120_000);

let t: TestApp;
let me: ZUser;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['zodiac'] });
  me = await zodiacUser(t);
});

const count = async (table: string) =>
  rowsOf<{ n: number }>(await t.container.core.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;

describe('analysis: upload → task → result (real face model)', () => {
  it('a drawn face: 202 {task_id, picuuid}, then 3 animals in rank order summing ≤ 100, with pictures', async () => {
    const { task_id, picuuid } = await uploadOk(t, me, await syntheticFace());
    expect(task_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(picuuid).toMatch(/^[0-9a-f-]{36}$/);
    await t.container.core.queue.drain();
    const { status, body } = await poll(t, me, task_id);
    expect(status).toBe(200);
    expect(body.status).toBe('done');
    const result = body.result as Record<string, number>;
    expect(Object.keys(result)).toHaveLength(3);
    const values = Object.values(result);
    expect(values.reduce((s, v) => s + v, 0)).toBeLessThanOrEqual(100);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    const ranking = body.ranking as Array<{ rank: number; name: string; name_ko: string }>;
    expect(ranking.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(Object.keys(result)).toEqual(ranking.map((r) => r.name));
    expect(body.explanation).toMatch(/띠/);
    expect(body.animalimage).toBe(`/api/v1/animals/images/${ranking[0]!.name}.svg`);
    expect(body).toMatchObject({ picuuid, challenge_id: 1, challenge_content: '첫 번째 운세 확인!' });
    const photo = await t.app.inject({ url: body.userimage as string });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    const thumb = await t.app.inject({ url: body.thumbnail as string });
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(thumb.rawPayload).metadata()).width).toBeLessThanOrEqual(256);
  });

  it('a real photo with several faces (face-api demo photo): the largest face is scored', async () => {
    const photo = demoPhoto(3) ?? (await syntheticFace('jpeg', {}, 640));
    const { task_id } = await uploadOk(t, me, photo);
    await t.container.core.queue.drain();
    const { body } = await poll(t, me, task_id);
    expect(body.status).toBe('done');
    expect(Object.keys(body.result as object)).toHaveLength(3);
    expect(Object.values(body.result as Record<string, number>).reduce((s, v) => s + v, 0)).toBeLessThanOrEqual(100);
    expect((body.measurements as Record<string, number>).faceLength).toEqual(expect.any(Number));
  });

  it('polling is a pure read: repeated polls give the same answer and never add rows', async () => {
    const { task_id } = await uploadOk(t, me, await syntheticFace('png'));
    // the first poll is sent at once, while the analysis runs: it is held until the result is
    // there (ZODIAC_POLL_WAIT_MS, 8 s by default), so a front end polling once gets the result
    const early = await poll(t, me, task_id);
    expect(early.body).toMatchObject({ status: 'done', ranking: expect.any(Array) });
    const first = await poll(t, me, task_id);
    expect(first.body).toEqual(early.body);
    for (let i = 0; i < 3; i++) expect((await poll(t, me, task_id)).body).toEqual(first.body);
    const v1 = await t.app.inject({ method: 'POST', url: `/api/v1/animals/user/${me.uuid}/tasks/${task_id}`, payload: { picuuid: 'ignored' }, headers: me.auth });
    expect(v1.statusCode).toBe(200);
    expect(json(v1)).toEqual(first.body);
    expect(await count('zodiac_results')).toBe(3);
    expect(await count('zodiac_user_challenges')).toBe(1);
  });

  it('no face → failed NO_FACE_DETECTED with a Korean message; nothing stored', async () => {
    const { task_id } = await uploadOk(t, me, await noFaceImage());
    await t.container.core.queue.drain();
    const { status, body } = await poll(t, me, task_id);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ai_result: 'false', status: 'failed', error: { code: 'NO_FACE_DETECTED' } });
    expect((body.error as { message: string }).message).toContain('얼굴');
    expect(await count('zodiac_results')).toBe(0);
  });

  it('an image that became unreadable in storage → failed INVALID_IMAGE (never retried forever)', async () => {
    await t.close();
    t = await buildTestApp({ apps: ['zodiac'], workers: false });
    me = await zodiacUser(t);
    const { task_id } = await uploadOk(t, me, await syntheticFace());
    const [row] = rowsOf<{ original_key: string }>(await t.container.core.db.execute(sql`select original_key from zodiac_pictures`));
    await t.container.core.storage.scoped('zodiac').delete(row!.original_key);
    await t.container.core.queue.startWorkers();
    await t.container.core.queue.drain();
    expect((await poll(t, me, task_id)).body).toMatchObject({ ai_result: 'false', error: { code: 'INVALID_IMAGE' } });
  });

  it('the original path POST /api/v1/animals/user/{uuid} works the same', async () => {
    const res = await upload(t, me, await syntheticFace('webp'), `/api/v1/animals/user/${me.uuid}`);
    expect(res.statusCode).toBe(202);
    await t.container.core.queue.drain();
    const r = await t.app.inject({ url: `/api/v1/animals/user/${me.uuid}/tasks/${json(res).task_id}`, headers: me.auth });
    expect(json(r).status).toBe('done');
  });
});

describe('intake refusals at upload', () => {
  const refused = async (image: Buffer, status: number, code: string) => {
    const res = await upload(t, me, image);
    expect(res.statusCode, res.body).toBe(status);
    expect(json(res).error).toMatchObject({ code });
  };
  it('wrong type, SVG, 11 MB, 100 MP, truncated JPEG', async () => {
    await refused(await sharp(await syntheticFace('png')).gif().toBuffer(), 415, 'UNSUPPORTED_IMAGE_TYPE');
    await refused(svgImage(), 415, 'UNSUPPORTED_IMAGE_TYPE');
    await refused(Buffer.from('just some text, not an image'), 415, 'UNSUPPORTED_IMAGE_TYPE');
    await refused(oversizedJpeg(11 * 1024 * 1024), 413, 'PAYLOAD_TOO_LARGE');
    await refused(hugePng(), 422, 'IMAGE_TOO_MANY_PIXELS');
    await refused(await truncatedJpeg(), 422, 'INVALID_IMAGE');
    expect(await count('zodiac_tasks')).toBe(0);
  });
  it('no file, a text field, or JSON → 400 FILE_REQUIRED', async () => {
    const text = multipart({ filename: 'not a file' });
    const res = await t.app.inject({ method: 'POST', url: `/api/users/${me.uuid}/results/tasks`, payload: text.payload, headers: { ...text.headers, ...me.auth } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toMatchObject({ code: 'FILE_REQUIRED' });
    const js = await t.app.inject({ method: 'POST', url: `/api/users/${me.uuid}/results/tasks`, payload: { filename: 'x' }, headers: me.auth });
    expect(json(js).error).toMatchObject({ code: 'FILE_REQUIRED' });
  });
});

describe('ownership', () => {
  it("someone else's path is 403; someone else's task is 404; no token is 401", async () => {
    const other = await zodiacUser(t);
    const { task_id } = await uploadOk(t, me, await syntheticFace());
    const img = await syntheticFace();
    expect((await upload(t, { ...other, uuid: me.uuid }, img)).statusCode).toBe(403);
    const mine = await t.app.inject({ url: `/api/users/${me.uuid}/results/tasks/${task_id}`, headers: other.auth });
    expect(mine.statusCode).toBe(403);
    const theirs = await t.app.inject({ url: `/api/users/${other.uuid}/results/tasks/${task_id}`, headers: other.auth });
    expect(theirs.statusCode).toBe(404);
    expect(json(theirs).error).toMatchObject({ code: 'TASK_NOT_FOUND' });
    expect((await t.app.inject({ url: `/api/users/${me.uuid}/results/tasks/${task_id}` })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `/api/users/${me.uuid}/results/tasks/not-a-uuid`, headers: me.auth })).statusCode).toBe(404);
    await t.container.core.queue.drain();
  });
});

describe('progress over WebSocket', () => {
  const collect = (ws: WebSocket) => {
    const got: Array<Record<string, unknown>> = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code: number) => resolve(code)));
    ws.on('message', (d: Buffer) => got.push(JSON.parse(d.toString()) as Record<string, unknown>));
    return { got, closed };
  };

  it('queued → analyzing → done, then the socket closes; a late subscriber gets the result at once', async () => {
    await t.close();
    t = await buildTestApp({ apps: ['zodiac'], workers: false });
    me = await zodiacUser(t);
    const { task_id } = await uploadOk(t, me, await syntheticFace());
    let c!: ReturnType<typeof collect>;
    await t.app.injectWS(`/ws/zodiac/tasks/${task_id}/?token=${me.access}`, {}, { onInit: (ws) => (c = collect(ws)) });
    await t.container.core.queue.startWorkers();
    expect(await c.closed).toBe(1000);
    expect(c.got.map((m) => m.status)).toEqual(['queued', 'analyzing', 'done']);
    expect(c.got[2]).toMatchObject({ type: 'progress', task_id });
    expect(c.got[2]!.ai_result).toBeUndefined();
    expect(Object.keys(c.got[2]!.result as object)).toHaveLength(3);

    let late!: ReturnType<typeof collect>;
    await t.app.injectWS(`/ws/zodiac/tasks/${task_id}/?token=${me.access}`, {}, { onInit: (ws) => (late = collect(ws)) });
    expect(await late.closed).toBe(1000);
    expect(late.got).toHaveLength(1);
    expect(late.got[0]!.result).toEqual(c.got[2]!.result);
  });

  it('a bad token or a foreign task closes with 4401 / 4404', async () => {
    const other = await zodiacUser(t);
    const { task_id } = await uploadOk(t, me, await syntheticFace());
    let a!: ReturnType<typeof collect>;
    await t.app.injectWS(`/ws/zodiac/tasks/${task_id}/?token=garbage`, {}, { onInit: (ws) => (a = collect(ws)) });
    expect(await a.closed).toBe(4401);
    let b!: ReturnType<typeof collect>;
    await t.app.injectWS(`/ws/zodiac/tasks/${task_id}/?token=${other.access}`, {}, { onInit: (ws) => (b = collect(ws)) });
    expect(await b.closed).toBe(4404);
    await t.container.core.queue.drain();
  });
});
