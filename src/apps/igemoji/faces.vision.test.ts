// End to end on the real vision pool, jobs in process: a demo photo with three people comes back
// with every face covered by the template picture of its expression; progress arrives over
// WebSocket; no face ends as NO_FACE, a truncated photo is refused at upload; the metrics count it all.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';
import { CLASS_COLOURS, createTemplate, demoPhoto, facelessPhoto, multipart, signupLogin, type User } from '../../../test/fixtures/igemoji/helpers.js';
import { CONFIDENT_AT, EMOTIONS, type Emotion } from './expressions.js';

let t: TestApp;
let user: User;
let template: number;
beforeAll(async () => {
  t = await buildTestApp({ apps: ['igemoji'] });
  user = await signupLogin(t, 'vision');
  template = (await createTemplate(t, user, '색깔')).id;
}, 120_000);
afterAll(() => t?.close());

async function submit(image: Buffer, mime = 'image/jpeg'): Promise<string> {
  const mp = multipart({ emoji_id: String(template), image }, mime);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/faces/results/tasks', payload: mp.payload, headers: { ...mp.headers, ...user.auth } });
  expect(res.statusCode, res.body).toBe(202);
  return json<{ task_id: string }>(res).task_id;
}

async function poll(taskId: string) {
  await t.container.core.queue.drain(120_000);
  const res = await t.app.inject({ url: `/api/v1/faces/?task_id=${taskId}`, headers: user.auth });
  expect(res.statusCode).toBe(200);
  return json<Record<string, unknown>>(res);
}

type StoredFace = { box: { x: number; y: number; width: number; height: number }; expression: Emotion; scores: Record<Emotion, number>; template_image: string };

describe('compositing a real photo', () => {
  it('finds 3+ faces and covers each with the picture of its expression', async () => {
    const taskId = await submit(demoPhoto('sample1.jpg'));
    const done = await poll(taskId);
    expect(done).toMatchObject({ ai_result: 'done', status: 'done', task_id: taskId, emoji_id: template, user_id: user.id });
    const faces = done.faces as StoredFace[];
    expect(faces.length).toBeGreaterThanOrEqual(3);
    const res = await t.app.inject({ url: done.image as string });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="IGE_MOJI_\d+\.jpg"$/);
    const { data, info } = await sharp(res.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([done.width, done.height]);
    for (const f of faces) {
      // the arg-max class is the one stored (neutral when the model is unsure), and its picture's colour sits on the face
      const best = EMOTIONS.reduce((a, e) => (f.scores[e] > f.scores[a] ? e : a), 'neutral' as Emotion);
      expect(f.expression).toBe(f.scores[best] >= CONFIDENT_AT ? best : 'neutral');
      expect(f.template_image).toMatch(new RegExp(`/api/v1/emojis/${template}/images/${f.expression}\\.png$`));
      const x = Math.round(f.box.x + f.box.width / 2);
      const y = Math.round(f.box.y + f.box.height / 2);
      const i = (y * info.width + x) * info.channels;
      const got = [data[i]!, data[i + 1]!, data[i + 2]!];
      const want = CLASS_COLOURS[EMOTIONS.indexOf(f.expression)]!;
      expect(Math.max(...got.map((v, k) => Math.abs(v - want[k]!))), `${f.expression} at ${x},${y}: ${got.join(',')}`).toBeLessThan(40);
    }
    const download = await t.app.inject({ url: done.download_url as string });
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="IGE_MOJI_\d+\.jpg"$/);
    // the poll stays a read: same answer, one result row
    expect(await poll(taskId)).toEqual(done);
    const mine = json<Array<{ id: number; image: string; name: string }>>(await t.app.inject({ url: '/api/v1/users/mypage/?case=1', headers: user.auth }));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: done.id, image: done.image, name: '색깔' });
    const ranking = json<Array<{ id: number; cnt: number }>>(await t.app.inject({ url: '/api/v1/emojis/top3' }));
    expect(ranking).toEqual([expect.objectContaining({ id: template, cnt: 1 })]);
  }, 180_000);

  it('pushes progress over WebSocket and ends with the result', async () => {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const taskId = await submit(demoPhoto('sample3.jpg'));
    const ws = new WebSocket(`${address.replace('http', 'ws')}/ws/igemoji/tasks/${taskId}/?token=${user.token}`);
    const events: Array<Record<string, unknown>> = [];
    const code = await new Promise<number>((resolve, reject) => {
      ws.on('message', (m) => events.push(JSON.parse(m.toString()) as Record<string, unknown>));
      ws.on('close', (c) => resolve(c));
      ws.on('error', reject);
    });
    expect(code).toBe(1000);
    expect(events.at(-1)).toMatchObject({ type: 'progress', ai_result: 'done', task_id: taskId });
    expect((events.at(-1)!.faces as unknown[]).length).toBeGreaterThanOrEqual(3);
    const other = await signupLogin(t, 'stranger');
    const theirs = new WebSocket(`${address.replace('http', 'ws')}/ws/igemoji/tasks/${taskId}/?token=${other.token}`);
    expect(await new Promise((resolve) => theirs.on('close', (c) => resolve(c)))).toBe(4404);
  }, 180_000);

  it('fails with NO_FACE (Korean message), refuses a truncated photo at upload, and counts jobs, faces and expressions', async () => {
    const none = await poll(await submit(await facelessPhoto()));
    expect(none).toMatchObject({ ai_result: 'false', status: 'failed', reason: 'NO_FACE' });
    expect(none.message).toMatch(/얼굴을 찾지 못했어요/);
    const jpeg = demoPhoto('sample2.jpg');
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 3));
    const mp = multipart({ emoji_id: String(template), image: truncated }, 'image/jpeg');
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/faces/results/tasks', payload: mp.payload, headers: { ...mp.headers, ...user.auth } });
    expect([refused.statusCode, json<{ error: { code: string } }>(refused).error.code]).toEqual([422, 'INVALID_IMAGE']);
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^ai_jobs_total\{status="done"\} [1-9]/m);
    expect(metrics).toMatch(/^ai_jobs_total\{status="failed"\} 1$/m);
    expect(metrics).toMatch(/^ai_job_duration_seconds_count [3-9]/m);
    expect(metrics).toMatch(/^faces_detected_bucket\{le="0"\} 1$/m);
    expect(metrics).toMatch(/^expression_total\{emotion="happy"\} [1-9]/m);
  }, 180_000);
});
