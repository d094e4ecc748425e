// A photo turned upside down, through the HTTP API on the real vision pool: every face gets the
// template picture turned the way the face is (the picture's top at the top of the head), not an
// upright picture. The template's pictures are red above and blue below, so the composite shows
// which way each picture points.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';
import { createTemplate, demoPhoto, multipart, signupLogin, type User } from '../../../test/fixtures/igemoji/helpers.js';

let t: TestApp;
let user: User;
let template: number;

/** 120 × 120, red top half, blue bottom half */
async function twoTone(): Promise<Buffer> {
  const data = Buffer.alloc(120 * 120 * 3);
  for (let y = 0; y < 120; y++)
    for (let x = 0; x < 120; x++) data.set(y < 60 ? [230, 20, 20] : [20, 20, 230], (y * 120 + x) * 3);
  return sharp(data, { raw: { width: 120, height: 120, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

beforeAll(async () => {
  t = await buildTestApp({ apps: ['igemoji'] });
  user = await signupLogin(t, 'turned');
  const picture = await twoTone();
  template = (await createTemplate(t, user, '위아래', Array.from({ length: 7 }, () => picture))).id;
}, 120_000);
afterAll(() => t?.close());

type Face = { box: { x: number; y: number; width: number; height: number }; roll: number };

describe('a photo upside down', () => {
  it('covers each face with the picture turned as the face is: red towards the top of the head', async () => {
    const photo = await sharp(demoPhoto('sample3.jpg')).rotate(180).resize(960, 960, { fit: 'inside' }).jpeg({ quality: 92 }).toBuffer();
    const mp = multipart({ emoji_id: String(template), image: photo }, 'image/jpeg');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/faces/results/tasks', payload: mp.payload, headers: { ...mp.headers, ...user.auth } });
    expect(res.statusCode, res.body).toBe(202);
    await t.container.core.queue.drain(120_000);
    const done = json<{ status: string; faces: Face[]; image: string }>(await t.app.inject({ url: `/api/v1/faces/?task_id=${json<{ task_id: string }>(res).task_id}`, headers: user.auth }));
    expect(done.status).toBe('done');
    expect(done.faces).toHaveLength(3);
    const composite = await t.app.inject({ url: done.image });
    const { data, info } = await sharp(composite.rawPayload).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => {
      const i = (Math.round(y) * info.width + Math.round(x)) * info.channels;
      return { r: data[i]!, b: data[i + 2]! };
    };
    for (const f of done.faces) {
      // upside down: the roll is near ±180°, so the top of the head is below the face's centre
      expect(Math.abs(f.roll), `roll ${f.roll}`).toBeGreaterThan(155);
      const cx = f.box.x + f.box.width / 2;
      const cy = f.box.y + f.box.height / 2;
      const d = 0.3 * Math.max(f.box.width, f.box.height);
      const head = at(cx, cy + d);
      const chin = at(cx, cy - d);
      expect(head.r - head.b, `towards the head at ${cx},${cy + d}`).toBeGreaterThan(80);
      expect(chin.b - chin.r, `towards the chin at ${cx},${cy - d}`).toBeGreaterThan(80);
    }
  }, 180_000);
});
