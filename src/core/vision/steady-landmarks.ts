// Steadier landmarks for measuring a face (zodiac's look-alike). The landmark net reads the crop it
// is given: move the crop by a few pixels (another detection box, a re-encoded JPEG) and every
// point moves a little, enough to move a face across the boundary between two animals. Averaged
// over several crops of the same face, shifted by ±5 % and scaled by 0.9–1.1, that noise shrinks:
// on the development photos the distance between a photo's and its lightly edited copy's
// standardised measurements fell from 0.44 to 0.21 (one read against nine; docs/apps/zodiac.md §6).
// Costs one landmark read (~20 ms) per crop, so it is asked for only for the faces that are measured.
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type { Box, Face, Point } from './face-analyzer.js';
import { rollFromLandmarks } from './face-analyzer.js';

type T3 = faceapi.tf.Tensor3D;

/**
 * The crops read, as [scale, shift right, shift down] of the face box (shifts in box widths and
 * heights): three scales, each with three shifts of a Latin square, so every scale, every
 * horizontal and every vertical shift appears equally often and the mean crop is the box itself.
 */
export const CROPS: ReadonlyArray<readonly [number, number, number]> = [0.9, 1, 1.1].flatMap((s, i) =>
  [0, 1, 2].map((k) => [s, ((i + k) % 3) * 0.05 - 0.05, k * 0.05 - 0.05] as const),
);

/** faces rolled this far or further were read in a turned copy of the photo: they keep their single read */
const UPRIGHT_DEG = 45;

/** the crop of `box` scaled by `s` about its centre and shifted */
export function cropOf(box: Box, [s, dx, dy]: readonly [number, number, number]): Box {
  const width = box.width * s;
  const height = box.height * s;
  return { x: box.x + (box.width - width) / 2 + dx * box.width, y: box.y + (box.height - height) / 2 + dy * box.height, width, height };
}

/** the 68 points read on each crop of `box`, averaged point by point (in `img`'s pixels) */
export async function steadyLandmarks(img: T3, box: Box): Promise<Point[]> {
  const sum = Array.from({ length: 68 }, () => ({ x: 0, y: 0 }));
  for (const c of CROPS) {
    const b = cropOf(box, c);
    const [crop] = await faceapi.extractFaceTensors(img as never, [new faceapi.Rect(b.x, b.y, b.width, b.height)]);
    try {
      const rel = (await faceapi.nets.faceLandmark68Net.detectLandmarks(crop!)) as faceapi.FaceLandmarks68;
      const abs = rel.shiftBy<faceapi.FaceLandmarks68>(Math.max(0, Math.round(b.x)), Math.max(0, Math.round(b.y))).positions;
      abs.forEach((p, i) => {
        sum[i]!.x += p.x;
        sum[i]!.y += p.y;
      });
    } finally {
      crop!.dispose();
    }
  }
  return sum.map((p) => ({ x: p.x / CROPS.length, y: p.y / CROPS.length }));
}

/** the `n` largest upright faces with their landmarks read steadily (the others as they were) */
export async function steadyLargest(img: T3, faces: Face[], n: number): Promise<Face[]> {
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
    const landmarks = await steadyLandmarks(img, f.box);
    out.push({ ...f, landmarks, rollDeg: rollFromLandmarks(landmarks) });
  }
  return out;
}
