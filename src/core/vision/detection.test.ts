import { describe, expect, it } from 'vitest';
import { iou, plausibleLayout, suppress, turn, turnBox, unturn, unturnBox, type Turn } from './detection.js';

/** a 68-point layout s wide centred at (cx, cy), rolled by deg: eyes, nose tip (30) and mouth where a face has them */
function layout(cx: number, cy: number, s: number, deg: number) {
  const at = (i: number) => {
    const k = (2 * Math.PI * (i % 6)) / 6;
    if (i >= 36 && i < 42) return { x: -0.2 * s + 0.06 * s * Math.cos(k), y: -0.15 * s + 0.03 * s * Math.sin(k) };
    if (i >= 42 && i < 48) return { x: 0.2 * s + 0.06 * s * Math.cos(k), y: -0.15 * s + 0.03 * s * Math.sin(k) };
    if (i >= 48) return { x: 0.15 * s * Math.cos((2 * Math.PI * (i - 48)) / 20), y: 0.25 * s + 0.05 * s * Math.sin((2 * Math.PI * (i - 48)) / 20) };
    if (i >= 27 && i < 36) return { x: 0, y: -0.1 * s + ((i - 27) / 8) * 0.2 * s };
    return { x: 0.45 * s * Math.cos((Math.PI * i) / 26), y: 0.45 * s * Math.sin((Math.PI * i) / 26) };
  };
  const r = (deg * Math.PI) / 180;
  const landmarks = Array.from({ length: 68 }, (_, i) => at(i)).map((p) => ({ x: cx + p.x * Math.cos(r) - p.y * Math.sin(r), y: cy + p.x * Math.sin(r) + p.y * Math.cos(r) }));
  return { landmarks, box: { x: cx - s / 2, y: cy - s / 2, width: s, height: s } };
}

describe('detection geometry', () => {
  it('NMS keeps one result per face: overlapping and contained boxes merge, separate faces stay', () => {
    const merged = suppress([
      { box: { x: 100, y: 100, width: 80, height: 80 }, score: 0.7 },
      { box: { x: 104, y: 98, width: 84, height: 86 }, score: 0.9 }, // the same face from a tile
      { box: { x: 120, y: 150, width: 40, height: 35 }, score: 0.95 }, // its chin, inside it
      { box: { x: 300, y: 100, width: 80, height: 80 }, score: 0.6 }, // another face
    ]);
    expect(merged.map((c) => c.score)).toEqual([0.95, 0.6]);
    expect(suppress([{ box: { x: 0, y: 0, width: 10, height: 10 }, score: 0.5 }, { box: { x: 20, y: 0, width: 10, height: 10 }, score: 0.5 }])).toHaveLength(2);
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(1 / 3, 6);
  });

  it('points found on a quarter-turned image map back to the original', () => {
    const W = 300;
    const H = 200;
    const p = { x: 40, y: 30 };
    const turned: Record<Turn, { x: number; y: number }> = { 0: p, 1: { x: H - p.y, y: p.x }, 2: { x: W - p.x, y: H - p.y }, 3: { x: p.y, y: W - p.x } };
    for (const q of [0, 1, 2, 3] as const) {
      expect(unturn(turned[q], q, W, H)).toEqual(p);
      expect(turn(p, q, W, H)).toEqual(turned[q]);
      const b = { x: 150, y: 40, width: 20, height: 10 };
      expect(unturnBox(turnBox(b, q, W, H), q, W, H)).toEqual(b);
    }
    expect(unturnBox({ x: 150, y: 40, width: 20, height: 10 }, 1, W, H)).toEqual({ x: 40, y: 30, width: 10, height: 20 });
    expect(turnBox({ x: 40, y: 30, width: 10, height: 20 }, 1, W, H)).toEqual({ x: 150, y: 40, width: 20, height: 10 });
  });

  it('an upright face layout is plausible; the same layout on its side or upside down is not', () => {
    const face = layout(200, 200, 120, 10);
    expect(plausibleLayout(face.landmarks, face.box)).toBe(true);
    for (const roll of [90, 180, -90]) {
      const turned = layout(200, 200, 120, roll);
      expect(plausibleLayout(turned.landmarks, turned.box), `roll ${roll}`).toBe(false);
    }
    // the landmark net's answer on an upside-down face: eyes level, but the mouth above them
    const flipped = face.landmarks.map((q) => ({ x: q.x, y: 400 - q.y }));
    expect(plausibleLayout(flipped, face.box)).toBe(false);
  });
});
