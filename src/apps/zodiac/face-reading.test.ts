import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { AnalyzeOptions, Face, FaceAnalysis, FaceAnalyzer, Point, RgbImage } from '../../core/vision/face-analyzer.js';
import { matchMirrored, mirrorImage, readLargestFace, readPhoto } from './face-reading.js';
import { measure, MEASUREMENTS, score } from './scoring.js';

// iBUG 68: the index a point takes when the face is mirrored
const SWAP = [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 27, 28, 29, 30, 35, 34, 33, 32, 31, 45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40, 54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55, 64, 63, 62, 61, 60, 67, 66, 65];

/** a plausible 68-point face of width ~200 px centred at (cx, 200) */
function layout(cx: number, jaw = 1): Point[] {
  const p: Point[] = [];
  for (let i = 0; i <= 16; i++) {
    const t = Math.PI * (i / 16);
    p.push({ x: cx - 100 * Math.cos(t) * (i >= 3 && i <= 13 ? jaw : 1), y: 180 + 130 * Math.sin(t) });
  }
  for (let i = 0; i < 10; i++) p.push({ x: cx - 80 + i * 18 + (i >= 5 ? 15 : 0), y: 150 });
  for (let i = 0; i < 9; i++) p.push({ x: cx + (i >= 4 ? (i - 6) * 8 : 0), y: 170 + Math.min(i, 4) * 15 });
  const eye = (ex: number) => [{ x: ex - 20, y: 180 }, { x: ex - 8, y: 172 }, { x: ex + 8, y: 172 }, { x: ex + 20, y: 180 }, { x: ex + 8, y: 188 }, { x: ex - 8, y: 188 }];
  p.push(...eye(cx - 40), ...eye(cx + 40));
  for (let i = 0; i < 12; i++) p.push({ x: cx - 30 * Math.cos((2 * Math.PI * i) / 12), y: 275 + 6 * Math.sin((2 * Math.PI * i) / 12) });
  for (let i = 0; i < 8; i++) p.push({ x: cx - 20 * Math.cos((2 * Math.PI * i) / 8), y: 275 });
  return p;
}

const faceOf = (landmarks: Point[]): Face => {
  const xs = landmarks.map((p) => p.x);
  const ys = landmarks.map((p) => p.y);
  const box = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
  return { box, score: 0.9, landmarks, rollDeg: 0, expressions: { neutral: 1, happy: 0, sad: 0, angry: 0, fearful: 0, disgusted: 0, surprised: 0 } };
};

/**
 * Stands in for the landmark net, with its real flaw: it is not mirror-symmetric. It finds the face
 * wherever the bright half of the picture is, and places the jaw of a face seen with its bright
 * side on the left wider than the same face seen mirrored.
 */
class LopsidedAnalyzer implements FaceAnalyzer {
  calls = 0;
  async analyze(img: RgbImage, _opts?: AnalyzeOptions): Promise<FaceAnalysis> {
    this.calls++;
    const px = (x: number) => img.data[(Math.floor(img.height / 2) * img.width + x) * 3]!;
    const brightLeft = px(10) > px(img.width - 10);
    const w = img.width;
    // the face sits in the bright half; seen from the "wrong" side the net reads a narrower jaw
    const base = brightLeft ? layout(w * 0.3, 1.0) : layout(w * 0.7, 0.82);
    return { width: w, height: img.height, faces: [faceOf(base)], ms: 1 };
  }
  async ready() {
    return { loadMs: 0, backend: 'fake' };
  }
  async close() {}
}

const halfBright = (mirrored = false) =>
  sharp({ create: { width: 400, height: 400, channels: 3, background: '#000000' } })
    .composite([{ input: { create: { width: 200, height: 400, channels: 3, background: '#ffffff' } }, left: mirrored ? 200 : 0, top: 0 }])
    .png()
    .toBuffer();

describe('reading a face for the look-alike: the photo and its mirror image, averaged', () => {
  it('a photo and its mirror image get the same measurements and animal, even from a lopsided landmark net', async () => {
    const analyzer = new LopsidedAnalyzer();
    const a = await readLargestFace(analyzer, await halfBright(false));
    const b = await readLargestFace(analyzer, await halfBright(true));
    expect(analyzer.calls).toBe(4);
    // each single reading differs between the two photos (the flaw is real) …
    expect(a.reading!.readings[0].jawWidth).not.toBeCloseTo(b.reading!.readings[0].jawWidth, 2);
    // … their averages do not
    for (const k of MEASUREMENTS) {
      expect(b.reading!.measurements[k], k).toBeCloseTo(a.reading!.measurements[k], 9);
    }
    expect(score(b.reading!.measurements).top3).toEqual(score(a.reading!.measurements).top3);
  });

  it('mirrorImage() flips left to right and leaves the input alone', () => {
    const img: RgbImage = { width: 3, height: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) };
    expect([...mirrorImage(img).data]).toEqual([7, 8, 9, 4, 5, 6, 1, 2, 3]);
    expect([...img.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...mirrorImage(mirrorImage(img)).data]).toEqual([...img.data]);
  });

  it('matchMirrored() pairs each face with itself in the mirrored analysis, not with its neighbour', () => {
    const width = 1000;
    const faces = [faceOf(layout(200)), faceOf(layout(700))];
    const flipped = (f: Face) => faceOf(SWAP.map((j) => ({ x: width - f.landmarks[j]!.x, y: f.landmarks[j]!.y })));
    // the mirrored analysis lists them in its own order (left to right in the flipped picture)
    const mirrored = [flipped(faces[1]!), flipped(faces[0]!)];
    const m = matchMirrored(faces, mirrored, width);
    expect(m[0]).toBe(mirrored[1]);
    expect(m[1]).toBe(mirrored[0]);
    expect(measure(m[0]!.landmarks).jawWidth).toBeCloseTo(measure(faces[0]!.landmarks).jawWidth, 9);
    // a face the mirror pass did not find stays unpaired
    expect(matchMirrored(faces, [mirrored[0]!], width)).toEqual([undefined, mirrored[0]]);
  });

  it('a photo without a face: no reading, and no second analysis', async () => {
    const analyzer: FaceAnalyzer & { calls: number } = {
      calls: 0,
      async analyze(img) {
        this.calls++;
        return { width: img.width, height: img.height, faces: [], ms: 1 };
      },
      ready: async () => ({ loadMs: 0, backend: 'fake' }),
      close: async () => {},
    };
    const r = await readPhoto(analyzer, await halfBright());
    expect(r.faces).toEqual([]);
    expect(analyzer.calls).toBe(1);
  });
});
