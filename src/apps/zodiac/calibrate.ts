// The calibration procedure behind calibration.ts (run by bench/zodiac-calibrate.ts on real
// photos, and by the tests on generated faces): first each proportion's slope over the head turn
// (poseOf), taken out; then per-measurement mean and spread over people, then
// three discriminant axes: the directions in which faces of different people differ most relative
// to how much one person's measurements move between photos (the same person with other
// expressions, and the landmark net's own noise between a face and its mirror image). That is the
// generalised eigenproblem T·v = λ·W·v (T: spread between people, W: spread within one person),
// solved by whitening W and a Jacobi eigen-decomposition; then the animals' cells, cut at the
// people's quantiles along those axes (gridOf). W comes from very few people, so it is
// shrunk toward its diagonal (WITHIN_SHRINK) and half evened out (WITHIN_TO_EVEN). Only slopes, second-order statistics, quantiles and
// twelve balances are fitted — nothing per photo — so the result carries over to faces that were
// not in the set (bench/zodiac-calibrate.ts checks it on held-out halves).
import { cellAt, GRID, MEASUREMENTS, position, upright, type Measurement, type Measurements } from './scoring.js';

export interface Calibration {
  /** how many faces (people) it was computed from */
  faces: number;
  norms: Record<Measurement, { mean: number; sd: number }>;
  /** the three axes, most telling first: weights on the z-scores (MEASUREMENTS order) and spread over people */
  axes: Array<{ weights: number[]; sd: number; ratio?: number }>;
  /**
   * per proportion, its slope over the head turn (Measurements.headTurn) over the calibration
   * set, taken out before the norms (scoring.ts upright())
   */
  pose?: Partial<Record<Measurement, number>>;
  /** the animals' cells: each axis cut at the people's quantiles (see gridOf) */
  grid: Grid;
}

/** bins per axis, and per axis its knots: the middle of bin 0, the cut after it, the middle of bin 1, … (whitened units) */
export interface Grid {
  bins: number[];
  knots: number[][];
  /** per animal (ANIMALS order), how much nearer than its centre a face counts (scoring.ts distances()) */
  balance?: number[];
}

/** how one person's measurements vary: photos of one person with different expressions, and face/mirror pairs */
export interface WithinPerson {
  series: Measurements[][];
  mirrors: Array<[Measurements, Measurements]>;
}

/** weight of W's off-diagonal part that is dropped (0 = W as measured, 1 = only its diagonal) */
export const WITHIN_SHRINK = 0.6;
/**
 * weight of W that is then replaced by the same total spread spread evenly over the measurements
 * (0 = W as shrunk above, 1 = plain principal axes). W comes from two people: calibrated without
 * one series, the other one's spread moved onto every person stayed on one animal for 5.41 and
 * 3.62 of 8 photos with half of W evened out, 4.95 and 3.56 without (bench zodiac-calibrate),
 * and the held-out shares were as even (chi² 16.9 against 17.3)
 */
export const WITHIN_TO_EVEN = 0.5;

export function calibrate(samples: Measurements[], keys: readonly Measurement[], within?: WithinPerson): Calibration {
  if (samples.length < keys.length + 2) throw new Error(`at least ${keys.length + 2} faces needed, got ${samples.length}`);
  const n = samples.length;
  const d = keys.length;
  const pose = poseOf(samples, keys);
  const at = (s: Measurements) => {
    const u = upright(s, pose);
    return Object.fromEntries(keys.map((k) => [k, u[MEASUREMENTS.indexOf(k)]!])) as Record<Measurement, number>;
  };
  const facing = samples.map(at);
  const norms = Object.fromEntries(
    keys.map((k) => {
      const xs = facing.map((u) => u[k]);
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) || 1e-6;
      return [k, { mean: round(mean, 5), sd: round(sd, 5) }];
    }),
  ) as Record<Measurement, { mean: number; sd: number }>;
  const zOf = (s: Measurements) => {
    const u = at(s);
    return keys.map((k) => Math.max(-3, Math.min(3, (u[k] - norms[k].mean) / norms[k].sd)));
  };
  const z = samples.map(zOf);
  const T = covariance(z, new Array<number>(d).fill(0));
  const W = withinCovariance(within, zOf, d);
  // whiten W: B = W^(-1/2); the eigenvectors u of B·T·B give the axes v = B·u
  const we = jacobi(W);
  const B = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => sumK(d, (k) => (we.vectors[i]![k]! * we.vectors[j]![k]!) / Math.sqrt(Math.max(we.values[k]!, 1e-9)))));
  const M = mul(mul(B, T), B);
  const { values, vectors } = jacobi(M);
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const axes = order.slice(0, 3).map(({ v, i }) => {
    const u = vectors.map((row) => row[i]!);
    let w = B.map((row) => row.reduce((s, x, k) => s + x * u[k]!, 0));
    const norm = Math.hypot(...w) || 1;
    w = w.map((x) => x / norm);
    // a fixed sign: the largest weight positive, so the result does not depend on the solver
    const big = w.reduce((b, x, k) => (Math.abs(x) > Math.abs(w[b]!) ? k : b), 0);
    if (w[big]! < 0) w = w.map((x) => -x);
    const proj = z.map((r) => r.reduce((s, x, k) => s + x * w[k]!, 0));
    const sd = Math.sqrt(proj.reduce((s, x) => s + x * x, 0) / (n - 1));
    return { weights: w.map((x) => round(x, 5)), sd: round(Math.max(sd, 1e-6), 5), ratio: round(v, 2) };
  });
  const points = z.map((r) => axes.map((a) => a.weights.reduce((s, w, k) => s + w * r[k]!, 0) / a.sd));
  return { faces: n, norms, axes, ...(Object.keys(pose).length ? { pose } : {}), grid: gridOf(points) };
}

/**
 * Each proportion's slope over the head turn (least squares over the calibration set, with an
 * intercept); none when the samples carry no head turn or it does not vary. People do not turn
 * their heads by their face's shape, so over many people the slope is the turn's own effect.
 */
export function poseOf(samples: readonly Measurements[], keys: readonly Measurement[]): Partial<Record<Measurement, number>> {
  if (!samples.every((s) => s.headTurn !== undefined)) return {};
  const t = samples.map((s) => s.headTurn!);
  const tm = t.reduce((a, b) => a + b, 0) / t.length;
  const tt = t.reduce((a, x) => a + (x - tm) ** 2, 0);
  if (tt < 1e-9) return {};
  return Object.fromEntries(
    keys.map((k) => {
      const ym = samples.reduce((a, s) => a + s[k], 0) / samples.length;
      return [k, round(samples.reduce((a, s, i) => a + (t[i]! - tm) * (s[k] - ym), 0) / tt, 5)];
    }),
  );
}

/**
 * The cells of the twelve animals: each axis is cut into GRID bins at the quantiles of `points`
 * (the calibration set's people, whitened), so each bin holds the same share of them: with the
 * axes uncorrelated over people, each of the 3 × 2 × 2 cells about 1/12. Marginal cuts, not cuts
 * within cuts: on the development set the grid of marginal cuts kept one person's photos together
 * more often, and the cells stay boxes, so before the balances (balanceOf, which move the borders
 * a little) an animal's point (its cell's centre) is the nearest for exactly the faces in its
 * cell. Quantiles, not a shape assumed for the population: real faces are not spread like a ball.
 */
export function gridOf(points: number[][], bins: readonly number[] = GRID): Grid {
  const grid: Grid = {
    bins: [...bins],
    knots: bins.map((n, d) => {
      const xs = points.map((p) => p[d]!).sort((a, b) => a - b);
      return Array.from({ length: 2 * n - 1 }, (_, j) => round(quantile(xs, (j + 1) / (2 * n)), 5));
    }),
  };
  return { ...grid, balance: balanceOf(points.map((p) => position(p, grid)), grid).map((b) => round(b * BALANCE_SHRINK, 4)) };
}

/**
 * The cells' balances that share `at` (points in bin units) out most evenly: each round moves
 * every cell's border by its surplus or shortfall against 1/cells, with a shrinking step; the
 * most even round is kept (first the worst cell's distance from an even share, then all).
 * Deterministic. Where the plain grid is already even the balances stay 0.
 */
export function balanceOf(at: number[][], grid: Grid): number[] {
  const k = grid.bins.reduce((a, b) => a * b, 1);
  const counts = (balance: number[]) => {
    const c = new Array<number>(k).fill(0);
    for (const t of at) c[cellAt(t, { ...grid, balance })]!++;
    return c;
  };
  const cost = (c: number[]) => {
    const dev = c.map((x) => x / at.length - 1 / k);
    return Math.max(...dev.map(Math.abs)) + 0.1 * dev.reduce((s, x) => s + x * x, 0);
  };
  let balance = new Array<number>(k).fill(0);
  let best = { balance, cost: cost(counts(balance)) };
  let step = 2;
  for (let round_ = 0; round_ < BALANCE_ROUNDS && at.length; round_++, step *= 0.99) {
    const c = counts(balance);
    balance = balance.map((b, i) => round(b - step * (c[i]! / at.length - 1 / k), 4));
    const next = cost(counts(balance));
    if (next < best.cost - 1e-12) best = { balance, cost: next };
  }
  return best.balance;
}

const BALANCE_ROUNDS = 400;
/**
 * the share of the balances kept: the full balance also fits the calibration set's own luck
 * (split-half chi² of the held-out shares 19.6 against 17.3 without; 10.7 for a perfectly even
 * rule); half of it evens the set out as much held out as none, and in the set more
 */
export const BALANCE_SHRINK = 0.5;

/** the p-quantile of sorted xs, linear between order statistics */
export function quantile(xs: readonly number[], p: number): number {
  const at = p * (xs.length - 1);
  const i = Math.floor(at);
  return xs[i]! + (i + 1 < xs.length ? (at - i) * (xs[i + 1]! - xs[i]!) : 0);
}

/** W: pooled spread of each series around its mean, plus half the face/mirror differences' spread
 * (the app averages a face with its mirror, which halves that noise); shrunk toward the diagonal,
 * then half of it evened out over the measurements (WITHIN_TO_EVEN); the identity when nothing is
 * known (the axes are then plain principal axes). */
function withinCovariance(within: WithinPerson | undefined, zOf: (s: Measurements) => number[], d: number): number[][] {
  const seriesRows: number[][] = [];
  for (const group of within?.series ?? []) {
    if (group.length < 2) continue;
    const zs = group.map(zOf);
    const m = zs[0]!.map((_, k) => zs.reduce((s, r) => s + r[k]!, 0) / zs.length);
    for (const r of zs) seriesRows.push(r.map((x, k) => x - m[k]!));
  }
  const mirrorRows = (within?.mirrors ?? []).map(([a, b]) => {
    const za = zOf(a);
    const zb = zOf(b);
    return za.map((x, k) => (x - zb[k]!) / Math.SQRT2);
  });
  const zero = new Array<number>(d).fill(0);
  const parts: number[][][] = [];
  if (seriesRows.length > d) parts.push(covariance(seriesRows, zero, seriesRows.length - (within?.series.filter((g) => g.length >= 2).length ?? 0)));
  if (mirrorRows.length > d) parts.push(covariance(mirrorRows, zero, mirrorRows.length).map((r) => r.map((x) => x / 2)));
  if (!parts.length) return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
  const W = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => parts.reduce((s, p) => s + p[i]![j]!, 0)));
  const shrunk = W.map((r, i) => r.map((x, j) => (i === j ? Math.max(x, 1e-3) : (1 - WITHIN_SHRINK) * x)));
  const even = shrunk.reduce((t, r, i) => t + r[i]!, 0) / d;
  return shrunk.map((r, i) => r.map((x, j) => (1 - WITHIN_TO_EVEN) * x + (i === j ? WITHIN_TO_EVEN * even : 0)));
}

function covariance(rows: number[][], mean: number[], dof = rows.length - 1): number[][] {
  const d = mean.length;
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => rows.reduce((a, r) => a + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / Math.max(1, dof)));
}

const sumK = (d: number, f: (k: number) => number) => Array.from({ length: d }, (_, k) => f(k)).reduce((a, b) => a + b, 0);
const mul = (a: number[][], b: number[][]) => a.map((r) => b[0]!.map((_, j) => r.reduce((s, x, k) => s + x * b[k]![j]!, 0)));

/** eigenvalues and eigenvectors (as columns) of a symmetric matrix */
export function jacobi(m: number[][]): { values: number[]; vectors: number[][] } {
  const n = m.length;
  const a = m.map((r) => [...r]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i]![j]! ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-15) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((r, i) => r[i]!), vectors: v };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
