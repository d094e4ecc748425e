// Steady landmarks (steady-landmarks.ts) on the real landmark net: the face of face-api's demo
// photo 1 (read in place, never copied) measured on the photo and on a copy shifted by a few
// pixels, which moves the detection box as re-encoding or another detector pass does. Averaged
// over the nine crops, the landmarks follow the face, not the box, more closely than one read; read
// on a box derived from the face's points, they hardly depend on the box the reading started from.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPhoto } from '../../../test/fixtures/images.js';
import { largestFace, type Face, type Point } from './face-analyzer.js';
import { decodeForInference } from './image-intake.js';
import { ThreadPoolAnalyzer } from './pool.js';
import { imageTensor } from './crop.js';
import { FaceApiAnalyzer } from './faceapi.adapter.js';
import { CROPS, cropOf, readLandmarks, STEADY, steadyLandmarks } from './steady-landmarks.js';

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

describe.skipIf(!photo)('steady landmarks re-centred on a box derived from the face (SteadyOptions.recentre, not the default)', () => {
  it('hardly depend on the detector box they start from: a box 6 % off and 8 % larger gives nearly the same points', async () => {
    const analyzer = new FaceApiAnalyzer();
    await analyzer.ready();
    const rgb = await decodeForInference(await sharp(photo!).resize(640, 640, { fit: 'inside' }).png().toBuffer(), 1280);
    const f = largestFace((await analyzer.analyze(rgb)).faces)!;
    const img = imageTensor(rgb.data, rgb.width, rgb.height);
    try {
      const b = f.box;
      const moved = { x: b.x + 0.06 * b.width - 0.04 * b.width, y: b.y - 0.06 * b.height, width: 1.08 * b.width, height: 1.08 * b.height };
      const firstMoved = await readLandmarks(img as never, moved);
      const eyes = (p: Point[]) => Math.hypot(p[36]!.x - p[45]!.x, p[36]!.y - p[45]!.y);
      const gap = (p: Point[], q: Point[]) => p.reduce((s, a, i) => s + Math.hypot(a.x - q[i]!.x, a.y - q[i]!.y), 0) / p.length / eyes(p);
      const fixed = { ...STEADY, recentre: 0 };
      const onBox = gap(await steadyLandmarks(img as never, b, f.landmarks, fixed), await steadyLandmarks(img as never, moved, firstMoved, fixed));
      const recentre = { ...STEADY, recentre: 2 };
      const recentred = gap(await steadyLandmarks(img as never, b, f.landmarks, recentre), await steadyLandmarks(img as never, moved, firstMoved, recentre));
      expect(recentred).toBeLessThan(onBox / 2);
      // the same answer every time
      expect(await steadyLandmarks(img as never, b, f.landmarks, recentre)).toEqual(await steadyLandmarks(img as never, b, f.landmarks, recentre));
      expect(await steadyLandmarks(img as never, b, f.landmarks)).toEqual(await steadyLandmarks(img as never, b, f.landmarks));
    } finally {
      img.dispose();
    }
  });
});
