// The boxes steady landmarks are read on (steady-landmarks.ts), without the nets: a box derived from
// a face's points alone moves and scales with the face, a mirrored face gets the mirrored box, and
// a re-derived box is kept near the detector's.
import { describe, expect, it } from 'vitest';
import type { Point } from './face-analyzer.js';
import { boxOfPoints, within } from './steady-landmarks.js';

/** a plausible upright 68-point face (jaw, brows, nose, eyes, mouth) around (100, 120), eye distance ~40 px */
function face(): Point[] {
  const p: Point[] = [];
  for (let i = 0; i <= 16; i++) {
    const a = Math.PI * (i / 16);
    p.push({ x: 100 - 48 * Math.cos(a), y: 110 + 52 * Math.sin(a) });
  }
  for (let i = 0; i < 5; i++) p.push({ x: 62 + 8 * i, y: 92 - (i === 2 ? 4 : 2) });
  for (let i = 0; i < 5; i++) p.push({ x: 106 + 8 * i, y: 92 - (i === 2 ? 4 : 2) + 1 });
  for (let i = 0; i < 4; i++) p.push({ x: 100, y: 100 + 8 * i });
  for (let i = 0; i < 5; i++) p.push({ x: 92 + 4 * i, y: 134 + (i === 2 ? 2 : 0) });
  const eye = (cx: number, cy: number) => [[-8, 0], [-4, -3], [4, -3], [8, 0], [4, 3], [-4, 3]].map(([dx, dy]) => ({ x: cx + dx!, y: cy + dy! }));
  p.push(...eye(80, 102), ...eye(121, 103));
  for (let i = 0; i < 20; i++) {
    const a = (2 * Math.PI * i) / (i < 12 ? 12 : 8);
    const r = i < 12 ? 16 : 9;
    p.push({ x: 100 - r * Math.cos(a), y: 150 + (r / 2) * Math.sin(a) });
  }
  return p;
}

/** which point a point becomes in the mirror image (the 68-point scheme's left/right pairs) */
const MIRROR = [
  ...Array.from({ length: 17 }, (_, i) => 16 - i),
  ...[26, 25, 24, 23, 22, 21, 20, 19, 18, 17],
  27, 28, 29, 30,
  35, 34, 33, 32, 31,
  45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40,
  54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55,
  64, 63, 62, 61, 60, 67, 66, 65,
];

describe('the box of a face derived from its points', () => {
  it('moves and scales with the face, turns with its roll, and is mirrored with it', () => {
    const p = face();
    expect(MIRROR).toHaveLength(68);
    expect(new Set(MIRROR).size).toBe(68);
    const b = boxOfPoints(p);
    // taller than wide, above the points' centroid (SSD boxes include the forehead)
    expect(b.height).toBeGreaterThan(b.width);
    const cy = p.reduce((s, q) => s + q.y, 0) / 68;
    expect(b.y + b.height / 2).toBeLessThan(cy);
    // moved and scaled: the box moves and scales alike
    const moved = boxOfPoints(p.map((q) => ({ x: 2 * q.x + 7, y: 2 * q.y - 3 })));
    expect(moved.x).toBeCloseTo(2 * b.x + 7, 6);
    expect(moved.y).toBeCloseTo(2 * b.y - 3, 6);
    expect(moved.width).toBeCloseTo(2 * b.width, 6);
    // mirrored in a 300 px wide photo: the mirrored box (the same box whatever the points' order)
    const m = MIRROR.map((j) => ({ x: 300 - p[j]!.x, y: p[j]!.y }));
    const mb = boxOfPoints(m);
    expect(mb.x).toBeCloseTo(300 - b.x - b.width, 6);
    expect(mb.y).toBeCloseTo(b.y, 6);
    expect(mb.width).toBeCloseTo(b.width, 6);
    // rolled 20° about the centroid: the box's centre turns with the face (above it along the face's own up)
    const t = (20 * Math.PI) / 180;
    const cx = p.reduce((s, q) => s + q.x, 0) / 68;
    const rolled = boxOfPoints(p.map((q) => ({ x: cx + (q.x - cx) * Math.cos(t) - (q.y - cy) * Math.sin(t), y: cy + (q.x - cx) * Math.sin(t) + (q.y - cy) * Math.cos(t) })));
    const up = { x: rolled.x + rolled.width / 2 - cx, y: rolled.y + rolled.height / 2 - cy };
    expect(up.x).toBeGreaterThan(0);
    expect(up.y).toBeLessThan(0);
    // the same answer every time
    expect(boxOfPoints(p)).toEqual(b);
  });

  it('stays near the detector box: a far box is pulled back, a near one is kept', () => {
    const ref = { x: 100, y: 100, width: 80, height: 100 };
    const near = { x: 103, y: 98, width: 84, height: 104 };
    expect(within(near, ref, 0.1)).toEqual(near);
    expect(within(near, ref, Infinity)).toEqual(near);
    const far = within({ x: 160, y: 100, width: 200, height: 250 }, ref, 0.1);
    const side = Math.sqrt(80 * 100);
    expect(far.x + far.width / 2 - 140).toBeCloseTo(0.1 * side, 6);
    expect(Math.sqrt(far.width * far.height) / side).toBeCloseTo(1.1, 6);
    expect(far.height / far.width).toBeCloseTo(250 / 200, 6);
  });
});
