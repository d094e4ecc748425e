// The detection pipeline on the real model, with fixtures made here from face-api's demo photo
// (read from node_modules, never copied): one result per face however many passes saw it, and a
// face cropped to its own box found, and the photo turned by 90°, 180° and 270° gives the same faces
// with their roll turned as much. Few analyses on purpose: each takes seconds on a loaded machine.
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
const three = demoPhoto(3);

/** the signed difference of two angles in degrees, in (−180, 180] */
const angle = (a: number, b: number) => {
  const d = (((a - b) % 360) + 360) % 360;
  return d > 180 ? d - 360 : d;
};

const noOverlaps = (a: FaceAnalysis) => {
  for (let i = 0; i < a.faces.length; i++)
    for (let j = i + 1; j < a.faces.length; j++) expect(iou(a.faces[i]!.box, a.faces[j]!.box), `faces ${i} and ${j}`).toBeLessThan(0.3);
};

describe.skipIf(!photo)('face pipeline on a real photo (face-api demo sample1, read in place)', () => {
  let upright: FaceAnalysis;

  it('one result per face: the photo at 1920 px (whole at 512 and at 1024 px) gives the faces the 640 px copy gives, no duplicates', async () => {
    const big = await sharp(photo!).resize(1920, 1920, { fit: 'inside' }).jpeg({ quality: 92 }).toBuffer();
    const small = await sharp(photo!).resize(640, 640, { fit: 'inside' }).jpeg({ quality: 92 }).toBuffer();
    upright = await analysePhoto(pool, big);
    const single = await analysePhoto(pool, small);
    expect(upright.faces.length).toBeGreaterThanOrEqual(3);
    expect(upright.faces.length).toBe(single.faces.length);
    noOverlaps(upright);
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

describe.skipIf(!three)('faces lying on their side or upside down (face-api demo sample3, three upright faces, turned here)', () => {
  it.each([90, 180, 270])('the photo turned %i° clockwise: the three faces, each with its roll turned as much', async (turn) => {
    const upright = await analysePhoto(pool, await sharp(three!).resize(960, 960, { fit: 'inside' }).jpeg({ quality: 92 }).toBuffer());
    expect(upright.faces).toHaveLength(3);
    const turned = await analysePhoto(pool, await sharp(three!).rotate(turn).resize(960, 960, { fit: 'inside' }).jpeg({ quality: 92 }).toBuffer());
    expect(turned.faces).toHaveLength(3);
    noOverlaps(turned);
    // each upright face's roll plus the turn, matched to the turned faces in any order
    const want = upright.faces.map((f) => f.rollDeg + turn);
    for (const f of turned.faces) {
      const closest = Math.min(...want.map((w) => Math.abs(angle(f.rollDeg, w))));
      expect(closest, `roll ${f.rollDeg.toFixed(0)}° vs ${want.map((w) => angle(w, 0).toFixed(0)).join(', ')}`).toBeLessThan(25);
    }
  }, 120_000);
});
