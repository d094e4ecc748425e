// Which way up a face is. SSD finds faces lying on their side or upside down too, and the landmark
// net always draws a face-shaped layout on whatever crop it is given, so neither tells the face's
// orientation. What does: the layout of a face the right way up follows the face's features, so
// it stays put when the crop around it moves; on a turned face the net draws its average face
// into the crop, which moves with the crop. Measured on face-api's demo photos turned by 0/90/180/270°
// (docs/apps/igemoji.md § 6.1): the right way up moves 0.017–0.038 eye distances, every wrong
// way 0.084 or more. A face that is not stable upright is tried turned by 90°, 180° and 270° and
// kept turned when one of those is stable and at least twice as steady as upright.
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { crop, squareCrop } from './crop.js';
import { clip, turnBox, unturn, type Turn } from './detection.js';
import type { Box, Point } from './face-analyzer.js';

type T3 = tf.Tensor3D;

/** mean landmark shift (eye distances) below which a turned layout counts as following a real face */
export const STABLE_BELOW = 0.06;
/**
 * upright layouts steadier than this are taken as they are, without trying the turns: real upright
 * faces (a third of them small or three-quarter) shift 0.035 at the median, 0.09 at p90 on the
 * development photos; faces the wrong way up shifted 0.084 or more
 */
export const UPRIGHT_BELOW = 0.08;

export interface Oriented {
  /** the image the face is upright in: the photo itself, or a turned copy of the area around it */
  frame: T3;
  /** whether `frame` is a copy the caller must dispose */
  own: boolean;
  /** the 68 points in `frame`'s pixels */
  marks: faceapi.FaceLandmarks68;
  /** maps a point of `frame` to the photo */
  toPhoto(p: Point): Point;
  turn: Turn;
  /** how far the layout moved when the crop moved, in eye distances */
  shift: number;
}

/** the image turned `turn` quarter turns clockwise */
export function turnImage(img: T3, turn: Turn): T3 {
  return tf.tidy(() => {
    if (turn === 0) return tf.clone(img);
    if (turn === 2) return tf.reverse(img, [0, 1]);
    return tf.reverse(tf.transpose(img, [1, 0, 2]), turn === 1 ? 1 : 0);
  });
}

/** the landmarks of the face in box `b` of `frame`, in `frame`'s pixels (face-api's crop and points, crop.ts) */
async function landmarksIn(frame: T3, b: Box): Promise<faceapi.FaceLandmarks68> {
  const c = squareCrop(frame, b);
  try {
    const sq = (await faceapi.nets.faceLandmark68Net.detectLandmarks(c.tensor as never)) as faceapi.FaceLandmarks68;
    // the points in the crop, mapped back from the square as face-api maps them from its own
    const rel = sq.positions.map((p) => new faceapi.Point((p.x - c.offsetX) / c.width, (p.y - c.offsetY) / c.height));
    const marks = new faceapi.FaceLandmarks68(rel, { width: c.width, height: c.height });
    return marks.shiftBy<faceapi.FaceLandmarks68>(Math.max(0, Math.round(b.x)), Math.max(0, Math.round(b.y)));
  } finally {
    c.tensor.dispose();
  }
}

/** the same face's layout from a crop 16 % wider, 12 % taller and raised: how far it moved, in eye distances */
async function shiftOf(frame: T3, b: Box, marks: faceapi.FaceLandmarks68): Promise<number> {
  const moved = await landmarksIn(frame, { x: b.x - 0.08 * b.width, y: b.y - 0.1 * b.height, width: 1.16 * b.width, height: 1.12 * b.height });
  const a = marks.positions;
  const m = moved.positions;
  const eye = Math.max(1, Math.hypot(a[36]!.x - a[45]!.x, a[36]!.y - a[45]!.y));
  return a.reduce((s, p, i) => s + Math.hypot(p.x - m[i]!.x, p.y - m[i]!.y), 0) / a.length / eye;
}

/**
 * The face in `box` of `img`, the right way up. Upright and steady (almost every face): the
 * landmarks are exactly those of the box (one extra landmark pass to check). Otherwise the area
 * around the face is turned each way and the steadiest layout kept.
 */
export async function orient(img: T3, box: Box, rotations: boolean): Promise<Oriented> {
  const marks = await landmarksIn(img, box);
  const upright: Oriented = { frame: img, own: false, marks, toPhoto: (p) => p, turn: 0, shift: 0 };
  if (!rotations) return upright;
  upright.shift = await shiftOf(img, box, marks);
  if (upright.shift < UPRIGHT_BELOW) return upright;
  const [h, w] = img.shape;
  const side = 2 * Math.max(box.width, box.height);
  const area = clip({ x: Math.round(box.x + box.width / 2 - side / 2), y: Math.round(box.y + box.height / 2 - side / 2), width: Math.round(side), height: Math.round(side) }, w, h);
  const ax = Math.round(area.x);
  const ay = Math.round(area.y);
  const part = crop(img, { x: ax, y: ay, width: Math.round(area.width), height: Math.round(area.height) });
  const [ph, pw] = part.shape;
  let best = upright;
  try {
    for (const turn of [1, 2, 3] as const) {
      const frame = turnImage(part, turn);
      const b = turnBox({ ...box, x: box.x - ax, y: box.y - ay }, turn, pw, ph);
      const m = await landmarksIn(frame, b);
      const shift = await shiftOf(frame, b, m);
      if (shift < best.shift) {
        if (best.own) best.frame.dispose();
        best = { frame, own: true, marks: m, turn, shift, toPhoto: (p) => { const q = unturn(p, turn, pw, ph); return { x: q.x + ax, y: q.y + ay }; } };
      } else frame.dispose();
    }
  } finally {
    part.dispose();
  }
  if (best.turn !== 0 && best.shift < STABLE_BELOW && best.shift < upright.shift / 2) return best;
  if (best.own) best.frame.dispose();
  return upright;
}
