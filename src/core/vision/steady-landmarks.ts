// Steadier landmarks for measuring a face (zodiac's look-alike). The landmark net reads the crop it
// is given: move the crop by a few pixels (another detection box, a re-encoded JPEG) and every
// point moves a little, enough to move a face across the boundary between two animals. What makes
// the reading follow the face instead of the crop (docs/apps/zodiac.md §6, measured by
// `npm run bench -- zodiac-stability`):
//  - nine crops, shifted by ±5 % and scaled by 0.9–1.1, read and averaged (the net's own noise);
//  - each crop averaged down to the net's 112 px (crop.ts netCrop) instead of face-api's bilinear
//    sampling, which reads a few of the pixels under each input pixel, so a JPEG re-encode changed
//    the input itself;
//  - optionally (SteadyOptions.recentre, not the default), the crops placed on a box derived from
//    the face's points instead of the detector's (whose box moves with the photo's pixels): the box
//    SSD draws on average, around the points' centroid and sized by their spread, re-derived and
//    kept within 20 % of the detector's box. Steadier under a re-encode, but one person's readings
//    then follow the expression more.
// Costs nine landmark reads (~8 ms each with the crop) per face (more when re-centring), so it is
// asked for only for the faces that are measured.
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { netCrop, squareCrop } from './crop.js';
import type { Box, Face, Point } from './face-analyzer.js';
import { rollFromLandmarks } from './face-analyzer.js';

type T3 = faceapi.tf.Tensor3D;
export type Crop = readonly [scale: number, right: number, down: number];

/**
 * The crops read, as [scale, shift right, shift down] of the face box (shifts in box widths and
 * heights): three scales, each with three shifts of a Latin square, so every scale, every
 * horizontal and every vertical shift appears equally often and the mean crop is the box itself.
 * (A left/right symmetric set measured no better: bench zodiac-stability.)
 */
export const CROPS: ReadonlyArray<Crop> = [0.9, 1, 1.1].flatMap((s, i) => [0, 1, 2].map((k) => [s, ((i + k) % 3) * 0.05 - 0.05, k * 0.05 - 0.05] as const));

/** how steady landmarks are read (STEADY; the others are the alternatives bench zodiac-stability measures) */
export interface SteadyOptions {
  crops: ReadonlyArray<Crop>;
  /** how many times the box is re-derived from the points before the final read (0: the detector's box) */
  recentre: number;
  /** how far a re-derived box may move from the detector's: its centre, in box sides, and its size, as a factor 1 + clamp (Infinity: free) */
  clamp: number;
  /** how a crop is brought to the net's 112 px: face-api's bilinear sampling ('net'), or averaged down (crop.ts netCrop) */
  resample: 'net' | 'area';
}

/**
 * The nine crops averaged down, on the detector's box. Re-deriving the box from the points
 * (`recentre: 2`, within 0.2 of the detector's box) halves the movement under a re-encode again but
 * makes one person's readings follow the expression (docs/apps/zodiac.md §6), so it is not the
 * default. Also measured worse: a median of the crops instead of the mean, one read instead of nine
 * per re-centring step, a third step, a left/right symmetric set of crops, unbounded re-centring.
 */
export const STEADY: SteadyOptions = { crops: CROPS, recentre: 0, clamp: 0.2, resample: 'area' };

/** faces rolled this far or further were read in a turned copy of the photo: they keep their single read */
const UPRIGHT_DEG = 45;

/** the crop of `box` scaled by `s` about its centre and shifted */
export function cropOf(box: Box, [s, dx, dy]: Crop): Box {
  const width = box.width * s;
  const height = box.height * s;
  return { x: box.x + (box.width - width) / 2 + dx * box.width, y: box.y + (box.height - height) / 2 + dy * box.height, width, height };
}

/** SSD's box around a face, in spreads of its 68 points (see boxOfPoints): width, height, and how far its centre sits above the points' centroid */
export const BOX_WIDTH = 2.61;
export const BOX_HEIGHT = 3.46;
export const BOX_RAISE = 0.35;

/**
 * A box derived from a face's 68 points alone, so that a reading no longer depends on the box the
 * detector drew: the box SSD draws around a face on average, measured in the points' spread (root
 * mean square distance from their centroid) and placed on their centroid, turned with the face's
 * roll. The 68 points are a left/right symmetric set and centroid and spread ignore their order, so
 * the box of a mirrored face is the mirrored box.
 */
export function boxOfPoints(points: Point[]): Box {
  const n = points.length;
  const c = { x: points.reduce((s, p) => s + p.x, 0) / n, y: points.reduce((s, p) => s + p.y, 0) / n };
  const r = Math.sqrt(points.reduce((s, p) => s + (p.x - c.x) ** 2 + (p.y - c.y) ** 2, 0) / n);
  const roll = (rollFromLandmarks(points) * Math.PI) / 180;
  const cx = c.x + Math.sin(roll) * BOX_RAISE * r;
  const cy = c.y - Math.cos(roll) * BOX_RAISE * r;
  const width = BOX_WIDTH * r;
  const height = BOX_HEIGHT * r;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

/** the landmark net's input side */
const NET_SIDE = 112;

/** the 68 points read on one crop `b` of `img`, in `img`'s pixels */
export async function readLandmarks(img: T3, b: Box, resample: 'net' | 'area' = 'net'): Promise<Point[]> {
  if (resample === 'area') {
    const c = netCrop(img as never, b, NET_SIDE);
    try {
      const marks = (await faceapi.nets.faceLandmark68Net.detectLandmarks(c.tensor as never)) as faceapi.FaceLandmarks68;
      return marks.relativePositions.map((p) => ({ x: c.x + p.x * c.size, y: c.y + p.y * c.size }));
    } finally {
      c.tensor.dispose();
    }
  }
  const c = squareCrop(img as never, b);
  try {
    const sq = (await faceapi.nets.faceLandmark68Net.detectLandmarks(c.tensor as never)) as faceapi.FaceLandmarks68;
    // the net's points are relative to the padded square; map them back to the crop, then the photo
    const side = Math.max(c.width, c.height);
    return sq.relativePositions.map((p) => ({ x: c.x + p.x * side - c.offsetX, y: c.y + p.y * side - c.offsetY }));
  } finally {
    c.tensor.dispose();
  }
}

/** the points read on every crop of `box`, averaged point by point */
async function readAll(img: T3, box: Box, o: SteadyOptions): Promise<Point[]> {
  const sum = Array.from({ length: 68 }, () => ({ x: 0, y: 0 }));
  for (const c of o.crops) {
    (await readLandmarks(img, cropOf(box, c), o.resample)).forEach((p, i) => {
      sum[i]!.x += p.x;
      sum[i]!.y += p.y;
    });
  }
  return sum.map((p) => ({ x: p.x / o.crops.length, y: p.y / o.crops.length }));
}

/**
 * the 68 points of the face in `box` (in `img`'s pixels), read on every crop of `box`; with
 * `o.recentre` > 0, on a box derived from `first` (the points already read on `box`), re-derived
 * from each reading that many times
 */
export async function steadyLandmarks(img: T3, box: Box, first?: Point[], o: SteadyOptions = STEADY): Promise<Point[]> {
  let b = box;
  let points = first;
  for (let i = 1; i <= o.recentre && points; i++) {
    b = within(boxOfPoints(points), box, o.clamp);
    if (i < o.recentre) points = await readAll(img, b, o);
  }
  return readAll(img, b, o);
}

/** `b` moved and scaled toward `ref` so that its centre is at most `k` sides of `ref` away and its size within a factor 1 + k */
export function within(b: Box, ref: Box, k: number): Box {
  if (!Number.isFinite(k)) return b;
  const clampTo = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const side = Math.sqrt(ref.width * ref.height);
  const f = clampTo(Math.sqrt(b.width * b.height) / side, 1 / (1 + k), 1 + k) / (Math.sqrt(b.width * b.height) / side);
  const cx = clampTo(b.x + b.width / 2, ref.x + ref.width / 2 - k * side, ref.x + ref.width / 2 + k * side);
  const cy = clampTo(b.y + b.height / 2, ref.y + ref.height / 2 - k * side, ref.y + ref.height / 2 + k * side);
  const width = b.width * f;
  const height = b.height * f;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

/** the `n` largest upright faces with their landmarks read steadily (the others as they were) */
export async function steadyLargest(img: T3, faces: Face[], n: number, o: SteadyOptions = STEADY): Promise<Face[]> {
  const chosen = new Set(
    [...faces]
      .filter((f) => f.landmarks.length === 68 && Math.abs(f.rollDeg) < UPRIGHT_DEG)
      .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)
      .slice(0, Math.max(0, n)),
  );
  const out: Face[] = [];
  for (const f of faces) {
    if (!chosen.has(f)) {
      out.push(f);
      continue;
    }
    const landmarks = await steadyLandmarks(img, f.box, f.landmarks, o);
    out.push({ ...f, landmarks, rollDeg: rollFromLandmarks(landmarks) });
  }
  return out;
}
