// The owner corrects a face's expression (PUT /api/v1/faces/results/tasks/:task_id/faces/:n) and
// gets a new composite; and an unsure expression is shown as neutral with its scores kept. On a
// scripted analyzer (no model), through HTTP as a client.
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_COLOURS, createTemplate, facelessPhoto, multipart, signupLogin } from '../../../test/fixtures/igemoji/helpers.js';
import { FakeAnalyzer, fakeFace } from '../../../test/fakes/fake-analyzer.js';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';
import { EMOTIONS, type Emotion } from './expressions.js';

let photo: Buffer;
beforeAll(async () => {
  photo = await facelessPhoto(400, 400);
});
const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

type Payload = { ai_result: string; image: string; faces: Array<{ expression: Emotion; chosen?: boolean; scores: Record<Emotion, number>; centre?: unknown }> };

async function setup(analyzer: FakeAnalyzer) {
  const t = await buildTestApp({ apps: ['igemoji'], analyzer });
  open.push(t);
  const user = await signupLogin(t, `c${Date.now() % 100000}`);
  const other = await signupLogin(t, `d${Date.now() % 100000}`);
  const template = (await createTemplate(t, user, '색깔')).id;
  const mp = multipart({ emoji_id: String(template), image: photo }, 'image/jpeg');
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/faces/', payload: mp.payload, headers: { ...mp.headers, ...user.auth } });
  expect(res.statusCode, res.body).toBe(202);
  const taskId = json<{ task_id: string }>(res).task_id;
  await t.container.core.queue.drain();
  const done = json<Payload>(await t.app.inject({ url: `/api/v1/faces/?task_id=${taskId}`, headers: user.auth }));
  expect(done.ai_result).toBe('done');
  return { t, user, other, taskId, done };
}

/** colour at (x, y) of a composite served at `url` */
async function pixel(t: TestApp, url: string, x: number, y: number): Promise<number[]> {
  const res = await t.app.inject({ url });
  expect(res.statusCode).toBe(200);
  const { data, info } = await sharp(res.rawPayload).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}
const near = (got: number[], want: readonly number[]) => got.every((v, i) => Math.abs(v - want[i]!) <= 40);
const colourOf = (e: Emotion) => CLASS_COLOURS[EMOTIONS.indexOf(e)]!;

describe('choosing the expression of one face', () => {
  it('the owner swaps faces[1] to another picture: a new composite, the other face untouched, the old image gone', async () => {
    const fake = new FakeAnalyzer({ faces: [fakeFace({ cx: 100, cy: 200, size: 120, expression: 'happy' }), fakeFace({ cx: 300, cy: 200, size: 120, expression: 'sad' })] });
    const { t, user, other, taskId, done } = await setup(fake);
    expect(near(await pixel(t, done.image, 300, 200), colourOf('sad'))).toBe(true);
    const url = `/api/v1/faces/results/tasks/${taskId}/faces/1`;

    const res = await t.app.inject({ method: 'PUT', url, payload: { expression: 'angry' }, headers: user.auth });
    expect(res.statusCode, res.body).toBe(200);
    const after = json<Payload>(res);
    expect(after.faces.map((f) => f.expression)).toEqual(['happy', 'angry']);
    expect(after.faces[1]!.chosen).toBe(true);
    expect(after.faces[1]!.scores.sad).toBeGreaterThan(0.9); // the model's scores stay as measured
    expect(after.faces.every((f) => f.centre === undefined)).toBe(true);
    expect(after.image).not.toBe(done.image);
    expect(near(await pixel(t, after.image, 300, 200), colourOf('angry'))).toBe(true);
    expect(near(await pixel(t, after.image, 100, 200), colourOf('happy'))).toBe(true);
    expect((await t.app.inject({ url: done.image })).statusCode).toBe(404);
    // the poll answers with the new composite
    expect(json<Payload>(await t.app.inject({ url: `/api/v1/faces/?task_id=${taskId}`, headers: user.auth })).image).toBe(after.image);
    expect(fake.calls).toBe(1); // no new analysis

    expect((await t.app.inject({ method: 'PUT', url, payload: { expression: 'angry' } })).statusCode).toBe(401);
    const foreign = await t.app.inject({ method: 'PUT', url, payload: { expression: 'happy' }, headers: other.auth });
    expect(foreign.statusCode).toBe(404);
    expect(json(foreign)).toMatchObject({ error: { code: 'TASK_NOT_FOUND' } });
    const missing = await t.app.inject({ method: 'PUT', url: `/api/v1/faces/results/tasks/${taskId}/faces/2`, payload: { expression: 'happy' }, headers: user.auth });
    expect(missing.statusCode).toBe(404);
    expect(json(missing)).toMatchObject({ error: { code: 'FACE_NOT_FOUND' } });
    const bad = await t.app.inject({ method: 'PUT', url, payload: { expression: 'smug' }, headers: user.auth });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toHaveProperty('error');
  });

  it('an unsure expression is shown as neutral; its scores stay in the result', async () => {
    const unsure = { ...fakeFace({ cx: 200, cy: 200, size: 140 }), expressions: { neutral: 0.1, happy: 0.46, sad: 0.4, angry: 0.01, fearful: 0.01, disgusted: 0.01, surprised: 0.01 } };
    const { t, done } = await setup(new FakeAnalyzer({ faces: [unsure] }));
    expect(done.faces[0]!.expression).toBe('neutral');
    expect(done.faces[0]!.scores).toMatchObject({ happy: 0.46, sad: 0.4 });
    expect(near(await pixel(t, done.image, 200, 200), colourOf('neutral'))).toBe(true);
  });
});
