// Pure geometry of the detection pipeline (no model here, so it is unit-tested in milliseconds):
// non-maximum suppression across passes, mapping points back
// from a padded or quarter-turned copy of the image, and the plausibility test of a 68-point layout.
import type { Box, Point } from './face-analyzer.js';

export interface Candidate {
  box: Box;
  score: number;
}

const area = (b: Box) => Math.max(0, b.width) * Math.max(0, b.height);

export function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export function iou(a: Box, b: Box): number {
  const i = intersection(a, b);
  return i ? i / (area(a) + area(b) - i) : 0;
}

/**
 * Greedy NMS over candidates from every pass: highest score first; a candidate is dropped when it
 * overlaps a kept one by IoU ≥ `maxIou`, or when most of the smaller box lies inside the other
 * (`maxContained`; the same face seen whole and cut by a tile edge, or a face and its chin).
 */
export function suppress<T extends Candidate>(cands: T[], maxIou = 0.3, maxContained = 0.6): T[] {
  const sorted = [...cands].sort((a, b) => b.score - a.score || area(b.box) - area(a.box));
  const kept: T[] = [];
  for (const c of sorted) {
    const dup = kept.some((k) => {
      const i = intersection(k.box, c.box);
      return i > 0 && (iou(k.box, c.box) >= maxIou || i / Math.min(area(k.box), area(c.box)) >= maxContained);
    });
    if (!dup) kept.push(c);
  }
  return kept;
}

/** quarter turns clockwise */
export type Turn = 0 | 1 | 2 | 3;

/**
 * A point of an image turned `turn` quarter turns clockwise, mapped back to the original image of
 * size width × height (the original's size, not the turned one's).
 */
export function unturn(p: Point, turn: Turn, width: number, height: number): Point {
  switch (turn) {
    case 1: // turned (H × W): x' = H − y, y' = x
      return { x: p.y, y: height - p.x };
    case 2:
      return { x: width - p.x, y: height - p.y };
    case 3: // x' = y, y' = W − x
      return { x: width - p.y, y: p.x };
    default:
      return p;
  }
}

/** A point of a width × height image, in that image turned `turn` quarter turns clockwise (the inverse of unturn). */
export function turn(p: Point, turn: Turn, width: number, height: number): Point {
  switch (turn) {
    case 1:
      return { x: height - p.y, y: p.x };
    case 2:
      return { x: width - p.x, y: height - p.y };
    case 3:
      return { x: p.y, y: width - p.x };
    default:
      return p;
  }
}

export function turnBox(b: Box, q: Turn, width: number, height: number): Box {
  if (q === 0) return b;
  return boxOf(corners(b).map((p) => turn(p, q, width, height)));
}

const corners = (b: Box): Point[] => [
  { x: b.x, y: b.y },
  { x: b.x + b.width, y: b.y },
  { x: b.x, y: b.y + b.height },
  { x: b.x + b.width, y: b.y + b.height },
];

export function boxOf(points: Point[]): Box {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

export function unturnBox(b: Box, turn: Turn, width: number, height: number): Box {
  if (turn === 0) return b;
  return boxOf(corners(b).map((p) => unturn(p, turn, width, height)));
}

/** clip a box to the image (after mapping back from a padded copy, a box may stick out) */
export function clip(b: Box, width: number, height: number): Box {
  const x = Math.max(0, b.x);
  const y = Math.max(0, b.y);
  return { x, y, width: Math.max(1, Math.min(width, b.x + b.width) - x), height: Math.max(1, Math.min(height, b.y + b.height) - y) };
}

const mean = (pts: Point[]): Point => ({ x: pts.reduce((s, p) => s + p.x, 0) / pts.length, y: pts.reduce((s, p) => s + p.y, 0) / pts.length });

/** a layout rolled further than this is searched again turned (a head tilted more is rare; a face on its side is not) */
export const MAX_UPRIGHT_ROLL = 35;

/**
 * Whether a 68-point layout looks like an upright face: the eyes level within 35°, the mouth
 * below the eyes and the nose tip between them, and the eyes apart by a sane share of the box.
 * The landmark net always draws a face-shaped layout, even on a face upside down or on its side;
 * such layouts come out twisted (mouth beside or above the eyes), which this catches.
 */
export function plausibleLayout(landmarks: Point[], box: Box): boolean {
  if (landmarks.length !== 68) return false;
  const le = mean(landmarks.slice(36, 42));
  const re = mean(landmarks.slice(42, 48));
  const mouth = mean(landmarks.slice(48, 68));
  const nose = landmarks[30]!;
  const eyeDx = re.x - le.x;
  const eyeDy = re.y - le.y;
  const eyeDist = Math.hypot(eyeDx, eyeDy);
  if (eyeDist < 0.2 * Math.max(box.width, box.height)) return false;
  if (Math.abs((Math.atan2(eyeDy, eyeDx) * 180) / Math.PI) > MAX_UPRIGHT_ROLL) return false;
  // "down" for this face is the eye line turned 90° clockwise
  const down = { x: -eyeDy / eyeDist, y: eyeDx / eyeDist };
  const eyes = { x: (le.x + re.x) / 2, y: (le.y + re.y) / 2 };
  const along = (p: Point) => (p.x - eyes.x) * down.x + (p.y - eyes.y) * down.y;
  const mouthDown = along(mouth);
  const noseDown = along(nose);
  return mouthDown > 0.5 * eyeDist && noseDown > 0.1 * eyeDist && noseDown < mouthDown;
}
