// The detection pipeline on the real model, with fixtures made here from face-api's demo photo
// (read from node_modules, never copied): one result per face however many passes saw it, faces
// turned by a quarter or half turn found with their real roll, and a face cropped to its own box
// found. Few analyses on purpose: each takes seconds on a loaded machine.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPhoto } from '../../../test/fixtures/images.js';
import { iou } from './detection.js';
import { largestFace, type FaceAnalysis } from './face-analyzer.js';
import { analysePhoto } from './photo.js';
import { ThreadPoolAnalyzer } from './pool.js';

const pool = new ThreadPoolAnalyzer(1);
afterAll(() => pool.close());
const photo = demoPhoto(1);

const noOverlaps = (a: FaceAnalysis) => {
  for (let i = 0; i < a.faces.length; i++)
    for (let j = i + 1; j < a.faces.length; j++) expect(iou(a.faces[i]!.box, a.faces[j]!.box), `faces ${i} and ${j}`).toBeLessThan(0.3);
};

describe.skipIf(!photo)('face pipeline on a real photo (face-api demo sample1, read in place)', () => {
  let upright: FaceAnalysis;

  it('one result per face: the photo at 1920 px (whole + overlapping tiles) gives the faces the 640 px copy gives, no duplicates', async () => {
    const big = await sharp(photo!).resize(1920, 1920, { fit: 'inside' }).jpeg({ quality: 92 }).toBuffer();
    const small = await sharp(photo!).resize(640, 640, { fit: 'inside' }).jpeg({ quality: 92 }).toBuffer();
    upright = await analysePhoto(pool, big);
    const single = await analysePhoto(pool, small);
    expect(upright.faces.length).toBeGreaterThanOrEqual(3);
    expect(upright.faces.length).toBe(single.faces.length);
    noOverlaps(upright);
  });

  it('turned a quarter turn and a half turn: the same faces, each with its roll turned as much (the picture follows it)', async () => {
    const W = upright.width;
    const H = upright.height;
    for (const angle of [90, 180] as const) {
      const turned = await sharp(photo!).resize(W, H).rotate(angle).jpeg({ quality: 92 }).toBuffer();
      const a = await analysePhoto(pool, turned);
      expect(a.faces.length, `${angle}°`).toBe(upright.faces.length);
      noOverlaps(a);
      for (const f of a.faces) {
        // the face's centre back in the upright photo (sharp turns clockwise), and the face there
        const c = { x: f.box.x + f.box.width / 2, y: f.box.y + f.box.height / 2 };
        const back = angle === 90 ? { x: c.y, y: H - c.x } : { x: W - c.x, y: H - c.y };
        const same = upright.faces.reduce((best, u) =>
          Math.hypot(u.box.x + u.box.width / 2 - back.x, u.box.y + u.box.height / 2 - back.y) <
          Math.hypot(best.box.x + best.box.width / 2 - back.x, best.box.y + best.box.height / 2 - back.y)
            ? u
            : best,
        );
        const off = Math.abs(((((f.rollDeg - same.rollDeg - angle) % 360) + 540) % 360) - 180);
        expect(off, `${angle}°: roll ${f.rollDeg} vs upright ${same.rollDeg}`).toBeLessThan(20);
      }
    }
  });

  it('a face cropped to its own box (a selfie that fills the frame) is found', async () => {
    const f = largestFace(upright.faces)!;
    const meta = await sharp(photo!).metadata();
    const k = meta.width! / upright.width;
    const crop = await sharp(photo!)
      .extract({ left: Math.round(f.box.x * k), top: Math.round(f.box.y * k), width: Math.round(f.box.width * k), height: Math.round(f.box.height * k) })
      .jpeg({ quality: 92 })
      .toBuffer();
    const a = await analysePhoto(pool, crop);
    expect(a.faces).toHaveLength(1);
    expect(a.faces[0]!.landmarks).toHaveLength(68);
  });
});
