// Steady landmarks (steady-landmarks.ts) on the real landmark net: the face of face-api's demo
// photo 1 (read in place, never copied) measured on the photo and on a copy shifted by a few
// pixels, which moves the detection box as re-encoding or another detector pass does. Averaged
// over the nine crops, the landmarks follow the face, not the box, more closely than one read.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPhoto } from '../../../test/fixtures/images.js';
import { largestFace, type Face, type Point } from './face-analyzer.js';
import { decodeForInference } from './image-intake.js';
import { ThreadPoolAnalyzer } from './pool.js';
import { CROPS, cropOf } from './steady-landmarks.js';

describe('the crops read for steady landmarks', () => {
  it('centre on the face box: every scale and every shift equally often, mean crop = the box', () => {
    const box = { x: 100, y: 50, width: 80, height: 100 };
    const crops = CROPS.map((c) => cropOf(box, c));
    const mean = (f: (b: typeof box) => number) => crops.reduce((s, b) => s + f(b), 0) / crops.length;
    expect(mean((b) => b.x + b.width / 2)).toBeCloseTo(140, 6);
    expect(mean((b) => b.y + b.height / 2)).toBeCloseTo(100, 6);
    expect(mean((b) => b.width)).toBeCloseTo(80, 6);
    for (const k of [0, 1, 2] as const) {
      const values = new Map<number, number>();
      for (const c of CROPS) values.set(c[k], (values.get(c[k]) ?? 0) + 1);
      expect([...values.values()]).toEqual([3, 3, 3]);
    }
  });
});

const photo = demoPhoto(1);
const pool = new ThreadPoolAnalyzer(1);
afterAll(() => pool.close());

/** mean distance between the points of two faces, the second moved back by (dx, dy), in eye distances */
function apart(a: Face, b: Face, dx: number, dy: number): number {
  const p = a.landmarks;
  const eye = Math.hypot(p[36]!.x - p[45]!.x, p[36]!.y - p[45]!.y);
  return p.reduce((s, q: Point, i) => s + Math.hypot(q.x - (b.landmarks[i]!.x - dx), q.y - (b.landmarks[i]!.y - dy)), 0) / p.length / eye;
}

describe.skipIf(!photo)('steady landmarks on a real face', () => {
  it('move less than one read when the photo shifts by a few pixels, and only the largest face is re-read', async () => {
    const base = await sharp(photo!).resize(640, 640, { fit: 'inside' }).png().toBuffer();
    const shifted = await sharp(base).extend({ left: 5, top: 3, background: '#808080' }).png().toBuffer();
    const [a, b] = [await decodeForInference(base, 1280), await decodeForInference(shifted, 1280)];
    const once = [await pool.analyze(a), await pool.analyze(b)];
    const steady = [await pool.analyze(a, { steadyLandmarks: 1 }), await pool.analyze(b, { steadyLandmarks: 1 })];
    const [o1, o2, s1, s2] = [...once, ...steady].map((x) => largestFace(x.faces)!);
    expect(s1!.box).toEqual(o1!.box);
    expect(s1!.landmarks).not.toEqual(o1!.landmarks);
    // the other faces keep their single read
    const others = once[0]!.faces.filter((f) => f !== o1);
    expect(others.length).toBeGreaterThan(0);
    for (const f of others) expect(steady[0]!.faces.find((g) => g.box.x === f.box.x)?.landmarks).toEqual(f.landmarks);
    const single = apart(o1!, o2!, 5, 3);
    const averaged = apart(s1!, s2!, 5, 3);
    expect(averaged).toBeLessThan(single);
  });
});
