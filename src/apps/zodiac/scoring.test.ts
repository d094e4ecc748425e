import { describe, expect, it } from 'vitest';
import { ANIMALS } from './animals.js';
import { fromZ, measure, MEASUREMENTS, PROTOTYPES, score, standardise } from './scoring.js';

describe('scoring (deterministic, documented)', () => {
  it('every one of the 12 animals is reachable: its own prototype lands on it', () => {
    for (const a of ANIMALS) {
      const s = score(fromZ(PROTOTYPES[a.name]!));
      expect(s.top3[0]!.animal.name, a.name).toBe(a.name);
    }
  });

  it('faces near a prototype (not on it) still land on that animal', () => {
    for (const a of ANIMALS) {
      const nudged = PROTOTYPES[a.name]!.map((v, i) => v + (i % 2 ? 0.15 : -0.15));
      expect(score(fromZ(nudged)).top3[0]!.animal.name).toBe(a.name);
    }
  });

  it('top 3 in rank order, 1-decimal percentages that sum to at most 100', () => {
    for (const a of ANIMALS) {
      const { top3 } = score(fromZ(PROTOTYPES[a.name]!.map((v) => v * 0.6)));
      expect(top3.map((r) => r.rank)).toEqual([1, 2, 3]);
      expect(new Set(top3.map((r) => r.animal.name)).size).toBe(3);
      for (const r of top3) expect(Math.round(r.similarity * 10) / 10).toBe(r.similarity);
      expect(top3[0]!.similarity).toBeGreaterThanOrEqual(top3[1]!.similarity);
      expect(top3[1]!.similarity).toBeGreaterThanOrEqual(top3[2]!.similarity);
      expect(top3.reduce((s, r) => s + r.similarity, 0)).toBeLessThanOrEqual(100);
    }
  });

  it('is a pure function: same measurements, same answer; the average face is a tie broken by zodiac order', () => {
    const m = fromZ([0.3, -0.2, 1, 0, 0.5, -1, 0.2, 0]);
    expect(score(m)).toEqual(score({ ...m }));
    const avg = score(fromZ(MEASUREMENTS.map(() => 0)));
    expect(avg.top3.reduce((s, r) => s + r.similarity, 0)).toBeLessThanOrEqual(100);
  });

  it('explains in Korean with the features that decided it', () => {
    const s = score(fromZ(PROTOTYPES.tiger!));
    expect(s.explanation).toContain('호랑이띠');
    expect(s.explanation).toContain('눈꼬리가 올라간 편');
    expect(score(fromZ(PROTOTYPES.pig!)).explanation).toMatch(/코가 넓고 듬직한 편|턱선이 넓고 각진 편|얼굴이 둥글고 짧은 편/);
  });

  it('measure() ignores scale, position and head roll', () => {
    const base = Array.from({ length: 68 }, (_, i) => ({ x: 100 + 3 * (i % 17) + (i > 35 ? 20 : 0), y: 100 + 5 * Math.floor(i / 4) + (i % 3) }));
    const m1 = measure(base);
    const t = 0.3;
    const moved = base.map((p) => ({ x: 2 * (p.x * Math.cos(t) - p.y * Math.sin(t)) + 50, y: 2 * (p.x * Math.sin(t) + p.y * Math.cos(t)) - 20 }));
    const m2 = measure(moved);
    for (const k of MEASUREMENTS) expect(m2[k]).toBeCloseTo(m1[k], 6);
    expect(standardise(m1)).toHaveLength(8);
    expect(() => measure(base.slice(0, 5))).toThrow();
  });
});
