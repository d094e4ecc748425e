import { describe, expect, it } from 'vitest';
import { ANIMALS } from './animals.js';
import { BALANCE_SHRINK, balanceOf, calibrate, gridOf, jacobi, quantile } from './calibrate.js';
import { CALIBRATION } from './calibration.js';
import { average, cellOf, cells, distances, fromZ, GRID, measure, MEASUREMENTS, position, project, PROTOTYPES, score, standardise, zOf, type Measurements } from './scoring.js';

/** deterministic pseudo-random normal numbers (mulberry32 + Box–Muller) */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u() || 1e-12)) * Math.cos(2 * Math.PI * u());
}

const topOf = (m: Measurements) => score(m).top3[0]!.animal.name;

/** a 68-point face: jaw on an ellipse, eyes, nose, mouth with a chosen opening and width */
function face(o: { mouthOpen?: number; mouthHalf?: number; browLift?: number; eyeOpen?: number; jaw?: number } = {}) {
  const { mouthOpen = 0, mouthHalf = 30, browLift = 0, eyeOpen = 8, jaw = 1 } = o;
  const p: Array<{ x: number; y: number }> = [];
  for (let i = 0; i <= 16; i++) {
    const t = Math.PI * (i / 16);
    p.push({ x: 200 - 100 * Math.cos(t) * (i >= 3 && i <= 13 ? jaw : 1), y: 180 + 130 * Math.sin(t) + (i === 8 ? mouthOpen : 0) });
  }
  for (let i = 0; i < 10; i++) p.push({ x: 120 + i * 18 + (i >= 5 ? 15 : 0), y: 150 - browLift });
  for (let i = 0; i < 9; i++) p.push({ x: 200 + (i >= 4 ? (i - 6) * 8 : 0), y: 170 + Math.min(i, 4) * 15 });
  const eye = (cx: number) => [
    { x: cx - 20, y: 180 }, { x: cx - 8, y: 180 - eyeOpen }, { x: cx + 8, y: 180 - eyeOpen },
    { x: cx + 20, y: 180 }, { x: cx + 8, y: 180 + eyeOpen }, { x: cx - 8, y: 180 + eyeOpen },
  ];
  p.push(...eye(160), ...eye(240));
  for (let i = 0; i < 12; i++) {
    const t = (2 * Math.PI * i) / 12;
    p.push({ x: 200 - mouthHalf * Math.cos(t), y: 275 + (Math.sin(t) > 0 ? mouthOpen : 0) + 6 * Math.sin(t) });
  }
  for (let i = 0; i < 8; i++) p.push({ x: 200 - 20 * Math.cos((2 * Math.PI * i) / 8), y: 275 + (i > 4 ? mouthOpen : 0) });
  return p;
}

describe('zodiac scoring (deterministic, documented)', () => {
  it('every one of the 12 animals is reachable: a face at its point lands on it', () => {
    for (const a of ANIMALS) expect(topOf(fromZ(zOf(PROTOTYPES[a.name]!))), a.name).toBe(a.name);
  });

  it('the committed calibration shares faces out fairly: on faces drawn like the calibration set, each animal tops 3–15 %', () => {
    const rnd = normals(7);
    const counts = new Map<string, number>();
    const N = 6000;
    for (let n = 0; n < N; n++) {
      // a face with the calibration set's spread along its three axes and some noise across the rest
      const q = [rnd(), rnd(), rnd()];
      const z = zOf(q).map((v) => v + 0.3 * rnd());
      const name = topOf(fromZ(z));
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect(counts.size).toBe(12);
    for (const [name, c] of counts) {
      expect(c / N, name).toBeGreaterThanOrEqual(0.03);
      expect(c / N, name).toBeLessThanOrEqual(0.15);
    }
  });

  it('calibrate(): a varied population with expression noise gets all 12 animals, each 3–15 %, on axes that ignore what moves with the expression', () => {
    const rnd = normals(42);
    const mix = MEASUREMENTS.map((_, i) => MEASUREMENTS.map((__, j) => (i === j ? 1 : Math.sin(i * 3 + j * 5) * 0.6)));
    // each person: a bone structure; each photo of them adds an expression that moves mostly
    // faceLength and lowerFace (the chin) by as much as people differ, plus a little landmark noise
    const person = (): Measurements => {
      const e = MEASUREMENTS.map(() => rnd());
      return Object.fromEntries(MEASUREMENTS.map((k, i) => [k, 0.5 + 0.1 * i + 0.03 * mix[i]!.reduce((s, w, j) => s + w * e[j]!, 0)])) as Measurements;
    };
    const photo = (m: Measurements): Measurements => {
      const open = 0.08 * rnd();
      return Object.fromEntries(MEASUREMENTS.map((k) => [k, m[k] + 0.004 * rnd() + (k === 'faceLength' || k === 'lowerFace' ? open : 0)])) as Measurements;
    };
    const people = Array.from({ length: 400 }, person);
    const series = people.slice(0, 6).map((m) => Array.from({ length: 8 }, () => photo(m)));
    const mirrors = people.slice(0, 60).map((m): [Measurements, Measurements] => [photo(m), photo(m)]);
    const faces = people.map(photo);
    const cal = calibrate(faces, MEASUREMENTS, { series, mirrors });
    expect(cal.axes).toHaveLength(3);
    for (const a of cal.axes) expect(Math.hypot(...a.weights)).toBeCloseTo(1, 3);
    // the chin measures carry almost no weight: they follow the expression, not the person
    const at = (k: string) => MEASUREMENTS.indexOf(k as never);
    for (const a of cal.axes) {
      expect(Math.abs(a.weights[at('faceLength')]!), 'faceLength').toBeLessThan(0.2);
      expect(Math.abs(a.weights[at('lowerFace')]!), 'lowerFace').toBeLessThan(0.2);
    }
    // new people (not in the calibration), scored with the fresh calibration by hand
    const counts = new Array<number>(12).fill(0);
    const fresh = Array.from({ length: 3000 }, () => photo(person()));
    for (const m of fresh) {
      counts[cellOf(project(standardise(m, cal), cal), cal.grid)]!++;
    }
    for (const c of counts) {
      expect(c / fresh.length).toBeGreaterThanOrEqual(0.03);
      expect(c / fresh.length).toBeLessThanOrEqual(0.15);
    }
  });

  it('gridOf(): on a skewed population the cells, cut at its quantiles, each hold 1/12 of it; without balances a face is scored by the cell it is in', () => {
    const rnd = normals(9);
    // skewed along the first axis, heavy-tailed on the second, flat on the third
    const points = Array.from({ length: 1200 }, () => [Math.exp(0.8 * rnd()), rnd() ** 3, 0.3 * rnd()]);
    const grid = gridOf(points);
    expect(gridOf(points)).toEqual(grid);
    expect(grid.bins).toEqual([...GRID]);
    const counts = new Array<number>(12).fill(0);
    for (const q of points) counts[cellOf(q, grid)]!++;
    for (const c of counts) expect(c / points.length).toBeGreaterThan(0.06);
    for (const c of counts) expect(c / points.length).toBeLessThan(0.107);
    // the same population shared out by spheres around its mean would not be even: most of the
    // skewed axis' people sit left of its mean
    const sorted = points.map((p) => p[0]!).sort((x, y) => x - y);
    const mean = sorted.reduce((t, x) => t + x, 0) / sorted.length;
    expect(sorted.filter((x) => x < mean).length / sorted.length).toBeGreaterThan(0.6);
    // without balances the nearest cell centre is the cell found by counting cuts, everywhere (also beyond the ends)
    const plain = { ...grid, balance: undefined };
    const cutsOf = (d: number) => grid.knots[d]!.filter((_, j) => j % 2 === 1);
    for (let n = 0; n < 2000; n++) {
      const q = [Math.exp(1.5 * rnd()) - 0.5, 3 * rnd(), rnd()];
      const bins = q.map((x, d) => cutsOf(d).filter((c) => x > c).length);
      expect(cells().findIndex((c) => c.every((b, d) => b === bins[d])), q.join(',')).toBe(cellOf(q, plain));
    }
    // positions: a bin's middle is i + ½, a cut i, and a point beyond the ends goes on straight (one half-bin past the last middle: 3)
    expect(position([grid.knots[0]![0]!, grid.knots[1]![1]!, grid.knots[2]![2]!], grid)).toEqual([0.5, 1, 1.5]);
    expect(position([grid.knots[0]![4]! + (grid.knots[0]![4]! - grid.knots[0]![3]!), 0, 0], grid)[0]).toBeCloseTo(3, 9);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('balanceOf(): where the axes depend on each other and a plain grid leaves corners nearly empty, the balances share the people out evenly', () => {
    const rnd = normals(21);
    // the second axis follows the first: the grid's (low, high) and (high, low) corners starve
    const points = Array.from({ length: 1200 }, () => {
      const x = rnd();
      return [x, 0.8 * x + 0.6 * rnd(), rnd()];
    });
    const grid = gridOf(points);
    const plain = { ...grid, balance: undefined };
    const full = { ...grid, balance: balanceOf(points.map((p) => position(p, grid)), grid) };
    const shares = (g: typeof grid) => {
      const c = new Array<number>(12).fill(0);
      for (const q of points) c[cellOf(q, g)]!++;
      return c.map((x) => x / points.length);
    };
    expect(Math.min(...shares(plain))).toBeLessThan(0.03);
    for (const x of shares(full)) expect(Math.abs(x - 1 / 12)).toBeLessThan(0.01);
    // the committed rule keeps BALANCE_SHRINK of them: in between
    expect(grid.balance!.map((b, i) => b / full.balance[i]!).filter((r) => Number.isFinite(r)).every((r) => Math.abs(r - BALANCE_SHRINK) < 0.01)).toBe(true);
    expect(Math.min(...shares(grid))).toBeGreaterThan(Math.min(...shares(plain)));
    // the committed calibration's balances are small: every animal's own centre still lands on it
    for (let i = 0; i < 12; i++) {
      const e = distances(cells()[i]!.map((b) => b + 0.5));
      expect(e.indexOf(Math.min(...e)), ANIMALS[i]!.name).toBe(i);
    }
  });

  it('measure(): the head turn is read from the nose tip between the ends of the jaw line, the same either way round', () => {
    // a face turned about the vertical axis: points nearer the camera (the nose) move further than the eyes, the jaw's ends (at the ears) least
    const depth = (i: number) => (i <= 16 ? -60 * Math.abs(Math.cos(Math.PI * (i / 16))) : i >= 27 && i <= 35 ? [15, 25, 35, 45, 30, 33, 35, 33, 30][i - 27]! : 0);
    const turned = (deg: number) => face().map((p, i) => ({ x: 200 + (p.x - 200) * Math.cos((deg * Math.PI) / 180) + depth(i) * Math.sin((deg * Math.PI) / 180), y: p.y }));
    expect(measure(face()).headTurn).toBeCloseTo(0, 9);
    const turns = [0, 10, 20, 30].map((d) => measure(turned(d)).headTurn!);
    for (let i = 1; i < turns.length; i++) expect(turns[i]!).toBeGreaterThan(turns[i - 1]!);
    expect(measure(turned(-20)).headTurn).toBeCloseTo(turns[2]!, 9);
    expect(average(measure(turned(20)), measure(turned(-20))).headTurn).toBeCloseTo(turns[2]!, 9);
  });

  it('calibrate(): what a turned head does to the proportions is measured and taken out, so one person turned or not keeps the animal', () => {
    const rnd = normals(77);
    // the turn widens the face and lengthens the nose by as much as people differ
    const slope: Partial<Record<(typeof MEASUREMENTS)[number], number>> = { faceWidth: 0.6, cheekWidth: 0.6, noseLength: 0.3, lowerFace: 0.4 };
    const person = (): Measurements => Object.fromEntries(MEASUREMENTS.map((k, i) => [k, 1 + 0.1 * i + 0.1 * rnd()])) as Measurements;
    const photo = (m: Measurements, turn: number): Measurements => ({
      ...(Object.fromEntries(MEASUREMENTS.map((k) => [k, m[k] + (slope[k] ?? 0) * turn + 0.003 * rnd()])) as Measurements),
      headTurn: turn,
    });
    const people = Array.from({ length: 600 }, person);
    const faces = people.map((m) => photo(m, Math.abs(0.3 * rnd())));
    const cal = calibrate(faces, MEASUREMENTS);
    for (const k of MEASUREMENTS) expect(cal.pose![k]!, k).toBeCloseTo(slope[k] ?? 0, 1);
    // without the turn known, the same calibration cannot take it out
    const blind = calibrate(faces.map(({ headTurn: _, ...m }) => m as Measurements), MEASUREMENTS);
    expect(blind.pose).toBeUndefined();
    const sameCell = (c: typeof cal, strip: boolean) => {
      const fresh = Array.from({ length: 400 }, person);
      const cell = (m: Measurements) => cellOf(project(standardise(strip ? { ...m, headTurn: undefined } : m, c), c), c.grid);
      return fresh.filter((m) => cell(photo(m, 0)) === cell(photo(m, 0.5))).length / fresh.length;
    };
    expect(sameCell(cal, false)).toBeGreaterThan(0.9);
    expect(sameCell(blind, true)).toBeLessThan(0.6);
  });

  it('calibrate() without within-person data: plain principal axes, still every animal reachable', () => {
    const rnd = normals(5);
    const set = Array.from({ length: 500 }, () => Object.fromEntries(MEASUREMENTS.map((k, i) => [k, 1 + 0.1 * i + 0.05 * rnd()])) as Measurements);
    const cal = calibrate(set, MEASUREMENTS);
    expect(cal.axes).toHaveLength(3);
    expect(cal.faces).toBe(500);
    expect(() => calibrate(set.slice(0, 5), MEASUREMENTS)).toThrow(/faces needed/);
  });

  it('jacobi() diagonalises a symmetric matrix', () => {
    const m = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 1],
    ];
    const { values, vectors } = jacobi(m);
    for (let k = 0; k < 3; k++) {
      const v = vectors.map((r) => r[k]!);
      const mv = m.map((r) => r.reduce((s, x, j) => s + x * v[j]!, 0));
      for (let i = 0; i < 3; i++) expect(mv[i]).toBeCloseTo(values[k]! * v[i]!, 8);
    }
  });

  it('the features do not move with the expression: open mouth, wide smile, raised brows, squint', () => {
    const base = measure(face());
    const moved = [face({ mouthOpen: 40 }), face({ mouthHalf: 45 }), face({ browLift: 20 }), face({ eyeOpen: 3 })].map(measure);
    for (const m of moved) for (const k of MEASUREMENTS) expect(m[k], k).toBeCloseTo(base[k], 6);
    // hence the animal stays, whatever the face
    for (const jaw of [0.7, 0.8, 0.9, 1, 1.1]) {
      const animal = topOf(measure(face({ jaw })));
      for (const o of [{ mouthOpen: 40 }, { mouthHalf: 45 }, { browLift: 20 }, { eyeOpen: 3 }, { mouthOpen: 25, browLift: 15 }]) {
        expect(topOf(measure(face({ jaw, ...o }))), JSON.stringify(o)).toBe(animal);
      }
    }
    // while the bone structure does move them
    expect(measure(face({ jaw: 0.8 })).jawWidth).toBeLessThan(base.jawWidth);
  });

  it('a mirrored face measures the same (left/right symmetric features)', () => {
    const lm = face({ jaw: 0.9 }).map((p, i) => ({ x: p.x + (i % 5) * 0.7, y: p.y + (i % 3) * 0.5 }));
    // mirror: flip x and swap the iBUG left/right indices
    const swap = [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 27, 28, 29, 30, 35, 34, 33, 32, 31, 45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40, 54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55, 64, 63, 62, 61, 60, 67, 66, 65];
    const mirrored = swap.map((j) => ({ x: 400 - lm[j]!.x, y: lm[j]!.y }));
    const a = measure(lm);
    const b = measure(mirrored);
    for (const k of MEASUREMENTS) expect(b[k], k).toBeCloseTo(a[k], 9);
    expect(topOf(b)).toBe(topOf(a));
    // the app's reading, a face averaged with its mirror image, is the same from either side
    const noisy = mirrored.map((p, i) => ({ x: p.x + ((i * 7) % 5) - 2, y: p.y + ((i * 3) % 4) - 1.5 }));
    expect(score(average(a, measure(noisy)))).toEqual(score(average(measure(noisy), a)));
  });

  it('top 3 in rank order, 1-decimal percentages that sum to at most 100; a pure function', () => {
    for (const a of ANIMALS) {
      const m = fromZ(zOf(PROTOTYPES[a.name]!.map((v) => v * 0.6)));
      const { top3 } = score(m);
      expect(top3.map((r) => r.rank)).toEqual([1, 2, 3]);
      expect(new Set(top3.map((r) => r.animal.name)).size).toBe(3);
      for (const r of top3) expect(Math.round(r.similarity * 10) / 10).toBe(r.similarity);
      expect(top3[0]!.similarity).toBeGreaterThanOrEqual(top3[1]!.similarity);
      expect(top3[1]!.similarity).toBeGreaterThanOrEqual(top3[2]!.similarity);
      expect(top3.reduce((s, r) => s + r.similarity, 0)).toBeLessThanOrEqual(100);
      expect(score(m)).toEqual(score({ ...m }));
    }
  });

  it('explains in Korean with the measurements that decided it', () => {
    for (const a of ANIMALS) {
      const s = score(fromZ(zOf(PROTOTYPES[a.name]!.map((v) => v * 1.3))));
      expect(s.explanation).toContain(a.nameKo);
      expect(s.explanation).toMatch(/편이고 .*편이라|기준형과/);
    }
  });

  it('measure() ignores scale, position and head roll', () => {
    const base = face();
    const m1 = measure(base);
    const t = 0.3;
    const moved = base.map((p) => ({ x: 2 * (p.x * Math.cos(t) - p.y * Math.sin(t)) + 50, y: 2 * (p.x * Math.sin(t) + p.y * Math.cos(t)) - 20 }));
    const m2 = measure(moved);
    for (const k of MEASUREMENTS) expect(m2[k]).toBeCloseTo(m1[k], 6);
    expect(standardise(m1)).toHaveLength(MEASUREMENTS.length);
    expect(project(standardise(m1))).toHaveLength(3);
    expect(() => measure(base.slice(0, 5))).toThrow();
    expect(CALIBRATION.axes).toHaveLength(3);
  });
});
