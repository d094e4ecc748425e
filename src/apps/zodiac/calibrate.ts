// The calibration procedure behind calibration.ts (run by bench/zodiac-calibrate.ts on real
// photos, and by the tests on generated faces): per-measurement mean and spread over people, then
// three discriminant axes: the directions in which faces of different people differ most relative
// to how much one person's measurements move between photos (the same person with other
// expressions, and the landmark net's own noise between a face and its mirror image). That is the
// generalised eigenproblem T·v = λ·W·v (T: spread between people, W: spread within one person),
// solved by whitening W and a Jacobi eigen-decomposition. W comes from very few people, so it is
// shrunk toward its diagonal (WITHIN_SHRINK). Only these second-order statistics are fitted —
// nothing per photo — so the result carries over to faces that were not in the set.
import { nearest, turned, type Measurement, type Measurements } from './scoring.js';

export interface Calibration {
  /** how many faces (people) it was computed from */
  faces: number;
  norms: Record<Measurement, { mean: number; sd: number }>;
  /** the three axes, most telling first: weights on the z-scores (MEASUREMENTS order) and spread over people */
  axes: Array<{ weights: number[]; sd: number; ratio?: number }>;
  /** how the animals' icosahedron is turned (radians about x, y, z; see balancedTurn) */
  turn?: number[];
}

/** how one person's measurements vary: photos of one person with different expressions, and face/mirror pairs */
export interface WithinPerson {
  series: Measurements[][];
  mirrors: Array<[Measurements, Measurements]>;
}

/** weight of W's off-diagonal part that is dropped (0 = W as measured, 1 = only its diagonal) */
export const WITHIN_SHRINK = 0.6;

export function calibrate(samples: Measurements[], keys: readonly Measurement[], within?: WithinPerson): Calibration {
  if (samples.length < keys.length + 2) throw new Error(`at least ${keys.length + 2} faces needed, got ${samples.length}`);
  const n = samples.length;
  const d = keys.length;
  const norms = Object.fromEntries(
    keys.map((k) => {
      const xs = samples.map((s) => s[k]);
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) || 1e-6;
      return [k, { mean: round(mean, 5), sd: round(sd, 5) }];
    }),
  ) as Record<Measurement, { mean: number; sd: number }>;
  const zOf = (s: Measurements) => keys.map((k) => Math.max(-3, Math.min(3, (s[k] - norms[k].mean) / norms[k].sd)));
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
  return { faces: n, norms, axes, turn: balancedTurn(points) };
}

/**
 * Real faces are not spread like a perfect ball, so an icosahedron in a fixed position shares
 * them out unevenly. This tries TURN_TRIES orientations (a fixed pseudo-random sequence, so the
 * result is reproducible) and keeps the one whose top-1 shares over `points` are closest to 1/12
 * each (first the worst one, then all). Three numbers fitted to the whole set: checked split-half in the bench.
 */
export function balancedTurn(points: number[][]): number[] {
  let seed = 12345;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const cost = (angles: number[]) => {
    const v = turned(angles);
    const counts = new Array<number>(12).fill(0);
    for (const q of points) counts[nearest(v, q)]!++;
    // first the worst animal's distance from 1/12, then all of them (least squares)
    const dev = counts.map((c) => c / points.length - 1 / 12);
    return Math.max(...dev.map(Math.abs)) + 0.1 * dev.reduce((s, d) => s + d * d, 0);
  };
  let best = [0, 0, 0];
  let bestCost = cost(best);
  for (let i = 0; i < TURN_TRIES; i++) {
    const angles = [next() * 2 * Math.PI, Math.asin(2 * next() - 1), next() * 2 * Math.PI].map((x) => round(x, 4));
    const c = cost(angles);
    if (c < bestCost - 1e-12) {
      best = angles;
      bestCost = c;
    }
  }
  return best;
}

const TURN_TRIES = 3000;

/** W: pooled spread of each series around its mean, plus half the face/mirror differences' spread
 * (the app averages a face with its mirror, which halves that noise); shrunk toward the diagonal;
 * the identity when nothing is known (the axes are then plain principal axes). */
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
  return W.map((r, i) => r.map((x, j) => (i === j ? Math.max(x, 1e-3) : (1 - WITHIN_SHRINK) * x)));
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
