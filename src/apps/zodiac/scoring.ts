// How a face becomes "87.3% tiger" — a documented, deterministic function (entertainment, not
// science; docs/apps/zodiac.md, "how the look-alike is decided"):
//  1. measure(): eleven bone-structure proportions from the 68 landmarks after undoing the head
//     roll: widths and lengths over the distance between the two eyes' corner midpoints (eye
//     corners barely move with the expression), symmetric left/right, and chosen not to move with
//     the expression: eye corners, nose, the jaw line; the chin only after taking out how far the
//     mouth is open; never the mouth width, the eye opening or the brows. The app measures the face
//     and its mirror image (face-reading.ts) and averages them, so a mirrored photo gets the same,
//     each on steady landmarks (nine crops averaged down to the net's input and read on a box
//     derived from the face's own points, core/vision/steady-landmarks.ts);
//  2. standardise each one against the mean/spread measured on a varied set of real faces
//     (CALIBRATION.norms);
//  3. project the z-vector on three calibrated axes (CALIBRATION.axes): the directions along which
//     faces of different people differ most relative to how much one person's face varies with
//     expression and landmark noise (discriminant axes), each scaled to unit spread over people;
//  4. the twelve animals sit on the vertices of an icosahedron in that 3-d space: twelve directions
//     spaced evenly, so on a population like the calibration set each animal is the nearest for
//     about 1/12 of faces; the icosahedron is turned (CALIBRATION.turn) so the calibration set's
//     people are shared out as evenly as it allows (bench/zodiac-calibrate.ts measures it);
//  5. similarity = softmax(−SHARPNESS × distance) × 100, rounded to 1 decimal; top 3 kept;
//  6. the explanation names the measurements that pull the face most toward the winning animal.
import type { Point } from '../../core/vision/face-analyzer.js';
import { ANIMALS, type Animal } from './animals.js';
import { CALIBRATION } from './calibration.js';

export const MEASUREMENTS = [
  'faceWidth',
  'cheekWidth',
  'jawWidth',
  'chinWidth',
  'faceTaper',
  'eyeSpacing',
  'eyeWidth',
  'noseLength',
  'noseWidth',
  'faceLength',
  'lowerFace',
] as const;
export type Measurement = (typeof MEASUREMENTS)[number];
export type Measurements = Record<Measurement, number>;

/** softmax temperature: larger = more decisive percentages */
export const SHARPNESS = 1.6;
/** distance of each animal's point from the centre of the whitened space (a typical face is ~1.6) */
export const RADIUS = 1.5;

const PHRASES: Record<Measurement, [high: string, low: string]> = {
  faceWidth: ['얼굴 폭이 넓은 편', '얼굴 폭이 좁은 편'],
  cheekWidth: ['광대가 넓은 편', '광대가 좁은 편'],
  jawWidth: ['턱선이 넓고 각진 편', '턱선이 좁고 갸름한 편'],
  chinWidth: ['턱 끝이 넓고 둥근 편', '턱 끝이 뾰족한 편'],
  faceTaper: ['볼에서 턱까지 폭이 고른 편', '턱 끝으로 갈수록 갸름해지는 편'],
  eyeSpacing: ['미간이 넓은 편', '미간이 좁은 편'],
  eyeWidth: ['눈이 가로로 긴 편', '눈이 작고 아담한 편'],
  noseLength: ['콧대가 긴 편', '코가 짧고 귀여운 편'],
  noseWidth: ['코가 넓고 듬직한 편', '코가 좁고 오뚝한 편'],
  faceLength: ['얼굴이 긴 편', '얼굴이 둥글고 짧은 편'],
  lowerFace: ['코끝에서 턱까지가 긴 편', '코끝에서 턱까지가 짧은 편'],
};

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** The eleven proportions of a 68-point face, after rotating it upright around the eyes' midpoint. */
export function measure(landmarks: Point[]): Measurements {
  if (landmarks.length !== 68) throw new Error('68 landmarks expected');
  const mid = (idx: number[], q: Point[] = landmarks) => ({ x: idx.reduce((s, i) => s + q[i]!.x, 0) / idx.length, y: idx.reduce((s, i) => s + q[i]!.y, 0) / idx.length });
  const le = mid([36, 37, 38, 39, 40, 41]);
  const re = mid([42, 43, 44, 45, 46, 47]);
  const angle = Math.atan2(re.y - le.y, re.x - le.x);
  const c = { x: (le.x + re.x) / 2, y: (le.y + re.y) / 2 };
  const cos = Math.cos(-angle);
  const sin = Math.sin(-angle);
  const p = landmarks.map((q) => ({ x: c.x + (q.x - c.x) * cos - (q.y - c.y) * sin, y: c.y + (q.x - c.x) * sin + (q.y - c.y) * cos }));
  const at = (i: number) => p[i]!;
  // the face's own unit: between the midpoints of each eye's two corners
  const io = dist(mid([36, 39], p), mid([42, 45], p)) || 1;
  const width = dist(at(0), at(16)) || 1;
  // the chin drops when the mouth opens: take the gap between the inner lips back out
  const mouthGap = Math.max(0, at(66).y - at(62).y);
  return {
    faceWidth: width / io,
    cheekWidth: dist(at(2), at(14)) / io,
    jawWidth: dist(at(4), at(12)) / io,
    chinWidth: dist(at(6), at(10)) / io,
    faceTaper: dist(at(5), at(11)) / (dist(at(2), at(14)) || 1),
    eyeSpacing: dist(at(39), at(42)) / io,
    eyeWidth: (dist(at(36), at(39)) + dist(at(42), at(45))) / 2 / io,
    noseLength: (at(33).y - at(27).y) / io,
    noseWidth: dist(at(31), at(35)) / io,
    faceLength: Math.max(0, at(8).y - at(27).y - mouthGap) / width,
    lowerFace: Math.max(0, at(8).y - at(33).y - mouthGap) / io,
  };
}

/** the mean of two measurements of one face (the face and its mirror image) */
export function average(a: Measurements, b?: Measurements): Measurements {
  return b ? (Object.fromEntries(MEASUREMENTS.map((k) => [k, (a[k] + b[k]) / 2])) as Measurements) : a;
}

export function standardise(m: Measurements): number[] {
  return MEASUREMENTS.map((k) => {
    const n = CALIBRATION.norms[k];
    return Math.max(-3, Math.min(3, (m[k] - n.mean) / n.sd));
  });
}

/** the whitened 3-d point of a z-vector */
export function project(z: readonly number[]): number[] {
  return CALIBRATION.axes.map((axis) => axis.weights.reduce((s, w, i) => s + w * (z[i] ?? 0), 0) / axis.sd);
}

/** The 12 vertices of a regular icosahedron, unit length, in a fixed order (zodiac order uses them in turn). */
export function icosahedron(): number[][] {
  const g = (1 + Math.sqrt(5)) / 2;
  const raw = [
    [0, 1, g], [0, -1, -g], [1, g, 0], [-1, -g, 0], [g, 0, 1], [-g, 0, -1],
    [0, -1, g], [0, 1, -g], [-1, g, 0], [1, -g, 0], [g, 0, -1], [-g, 0, 1],
  ];
  const n = Math.hypot(0, 1, g);
  return raw.map((v) => v.map((x) => x / n));
}

/** the icosahedron turned by the angles (radians, about x, then y, then z) */
export function turned(angles: readonly number[] = [0, 0, 0]): number[][] {
  const [a = 0, b = 0, c = 0] = angles;
  const [ca, sa, cb, sb, cc, sc] = [Math.cos(a), Math.sin(a), Math.cos(b), Math.sin(b), Math.cos(c), Math.sin(c)];
  const R = [
    [cb * cc, -cb * sc, sb],
    [sa * sb * cc + ca * sc, -sa * sb * sc + ca * cc, -sa * cb],
    [-ca * sb * cc + sa * sc, ca * sb * sc + sa * cc, ca * cb],
  ];
  return icosahedron().map((v) => R.map((r) => r[0]! * v[0]! + r[1]! * v[1]! + r[2]! * v[2]!));
}

/** the nearest of `points` to q (the first on a tie) */
export function nearest(points: readonly (readonly number[])[], q: readonly number[]): number {
  let best = 0;
  let bd = Infinity;
  points.forEach((v, i) => {
    const d = q.reduce((s, x, j) => s + (x - v[j]!) ** 2, 0);
    if (d < bd) {
      bd = d;
      best = i;
    }
  });
  return best;
}

/** each animal's point in the whitened space (ANIMALS order): the icosahedron as calibrated */
export const PROTOTYPES: Record<string, readonly number[]> = Object.fromEntries(
  turned(CALIBRATION.turn).map((v, i) => [ANIMALS[i]!.name, v.map((x) => x * RADIUS)]),
);

/** inverse of standardise() for tests: the measurements whose z-scores are `z` */
export function fromZ(z: readonly number[]): Measurements {
  return Object.fromEntries(MEASUREMENTS.map((k, i) => [k, CALIBRATION.norms[k].mean + (z[i] ?? 0) * CALIBRATION.norms[k].sd])) as Measurements;
}

/**
 * a z-vector whose whitened point is `q`: the smallest one (the axes are not orthogonal in z-space,
 * so z = A·(AᵀA)⁻¹·(q·sd), A = the axes' weights as columns)
 */
export function zOf(q: readonly number[]): number[] {
  const A = CALIBRATION.axes.map((a) => a.weights);
  const t = CALIBRATION.axes.map((a, j) => (q[j] ?? 0) * a.sd);
  const G = A.map((u) => A.map((v) => u.reduce((s, x, i) => s + x * v[i]!, 0)));
  const c = solve3(G, t);
  return MEASUREMENTS.map((_, i) => A.reduce((s, w, j) => s + w[i]! * c[j]!, 0));
}

function solve3(m: number[][], b: number[]): number[] {
  const a = m.map((r, i) => [...r, b[i]!]);
  const n = a.length;
  for (let col = 0; col < n; col++) {
    const piv = a.reduce((best, r, i) => (i >= col && Math.abs(r[col]!) > Math.abs(a[best]![col]!) ? i : best), col);
    [a[col], a[piv]] = [a[piv]!, a[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[r]![k] = a[r]![k]! - f * a[col]![k]!;
    }
  }
  return a.map((r, i) => r[n]! / r[i]!);
}

export interface RankedAnimal {
  rank: number;
  animal: Animal;
  similarity: number;
}

export interface Scoring {
  top3: RankedAnimal[];
  z: Record<Measurement, number>;
  explanation: string;
}

export function score(m: Measurements): Scoring {
  const z = standardise(m);
  const q = project(z);
  const logits = ANIMALS.map((a) => {
    const proto = PROTOTYPES[a.name]!;
    return -SHARPNESS * Math.sqrt(q.reduce((s, v, i) => s + (v - proto[i]!) ** 2, 0));
  });
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((s, v) => s + v, 0);
  // ties broken by zodiac order, so the ranking is a pure function of the measurements
  const ranked = ANIMALS.map((animal, i) => ({ animal, p: exps[i]! / sum, i })).sort((a, b) => b.p - a.p || a.i - b.i);
  const top3 = ranked.slice(0, 3).map((r, i) => ({ rank: i + 1, animal: r.animal, similarity: Math.round(r.p * 1000) / 10 }));
  return {
    top3,
    z: Object.fromEntries(MEASUREMENTS.map((k, i) => [k, Math.round(z[i]! * 100) / 100])) as Record<Measurement, number>,
    explanation: explain(z, top3[0]!.animal),
  };
}

/**
 * The deciding features: the animal's direction expressed in measurements (its point projected
 * back), and the face's z-score along it; the two measurements that push the face furthest toward
 * the animal are named, with the side the face is on.
 */
function explain(z: number[], animal: Animal): string {
  const dir = zOf(PROTOTYPES[animal.name]!);
  const pulls = MEASUREMENTS.map((k, i) => ({ k, z: z[i]!, pull: z[i]! * dir[i]! }))
    .filter((f) => f.pull > 0 && Math.abs(f.z) >= 0.3)
    .sort((a, b) => b.pull - a.pull)
    .slice(0, 2);
  if (pulls.length === 0) {
    return `뚜렷하게 튀는 부분 없이 얼굴 전체의 비율이 ${animal.nameKo}의 기준형과 가장 가까웠습니다.`;
  }
  const parts = pulls.map((f) => PHRASES[f.k][f.z > 0 ? 0 : 1]);
  return `${parts.join('이고 ')}이라 ${animal.nameKo}의 특징과 가장 가깝습니다.`;
}
