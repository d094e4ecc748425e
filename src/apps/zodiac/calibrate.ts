// The calibration procedure behind calibration.ts (run by bench/zodiac-calibrate.ts on real
// photos, and by the tests on generated faces): per-measurement mean and spread, then the three
// principal axes of the standardised measurements (Jacobi eigen-decomposition of their
// correlation matrix). Only these second-order statistics are fitted — nothing per photo — so the
// result carries over to faces that were not in the set.
import type { Measurement, Measurements } from './scoring.js';

export interface Calibration {
  /** how many faces it was computed from */
  faces: number;
  norms: Record<Measurement, { mean: number; sd: number }>;
  /** principal axes of the z-scores, largest first: unit weights (MEASUREMENTS order) and spread */
  axes: Array<{ weights: number[]; sd: number }>;
}

export function calibrate(samples: Measurements[], keys: readonly Measurement[]): Calibration {
  if (samples.length < keys.length + 2) throw new Error(`at least ${keys.length + 2} faces needed, got ${samples.length}`);
  const n = samples.length;
  const norms = Object.fromEntries(
    keys.map((k) => {
      const xs = samples.map((s) => s[k]);
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) || 1e-6;
      return [k, { mean: round(mean, 5), sd: round(sd, 5) }];
    }),
  ) as Record<Measurement, { mean: number; sd: number }>;
  const z = samples.map((s) => keys.map((k) => Math.max(-3, Math.min(3, (s[k] - norms[k].mean) / norms[k].sd))));
  const d = keys.length;
  const cov = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => z.reduce((a, r) => a + r[i]! * r[j]!, 0) / (n - 1)));
  const { values, vectors } = jacobi(cov);
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const axes = order.slice(0, 3).map(({ v, i }) => {
    let w = vectors.map((row) => row[i]!);
    // a fixed sign: the largest weight positive, so the result does not depend on the solver
    const big = w.reduce((b, x, k) => (Math.abs(x) > Math.abs(w[b]!) ? k : b), 0);
    if (w[big]! < 0) w = w.map((x) => -x);
    return { weights: w.map((x) => round(x, 5)), sd: round(Math.sqrt(Math.max(v, 1e-9)), 5) };
  });
  return { faces: n, norms, axes };
}

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
