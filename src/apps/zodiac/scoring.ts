// How a face becomes "87.3% tiger" — a documented, deterministic function (entertainment, not
// science: the prototypes are made up, nothing is learned from data about people):
//  1. measure(): eight proportions from the 68 landmarks after undoing the head roll, each a ratio
//     of two lengths on the same face, so photo size and distance do not matter;
//  2. standardise each one against the mean/spread measured on the face-api demo faces (NORMS);
//  3. every animal has a prototype: a z-score per measurement (PROTOTYPES);
//  4. distance = Euclidean distance between the face's z-vector (clamped to ±3) and a prototype;
//  5. similarity = softmax(−SHARPNESS × distance) × 100, rounded to 1 decimal; top 3 kept;
//  6. the explanation names the measurements where the face and the top prototype agree most.
import type { Point } from '../../core/vision/face-analyzer.js';
import { ANIMALS, type Animal } from './animals.js';

export const MEASUREMENTS = [
  'faceLength',
  'eyeOpen',
  'eyeTilt',
  'eyeSpacing',
  'noseWidth',
  'mouthWidth',
  'jawWidth',
  'browHeight',
] as const;
export type Measurement = (typeof MEASUREMENTS)[number];
export type Measurements = Record<Measurement, number>;

/** mean and standard deviation per measurement (the 22 faces of face-api's demo photos, measured once) */
export const NORMS: Record<Measurement, { mean: number; sd: number }> = {
  faceLength: { mean: 0.941, sd: 0.087 },
  eyeOpen: { mean: 0.322, sd: 0.056 },
  eyeTilt: { mean: 0.098, sd: 0.049 },
  eyeSpacing: { mean: 0.262, sd: 0.02 },
  noseWidth: { mean: 0.167, sd: 0.021 },
  mouthWidth: { mean: 0.369, sd: 0.048 },
  jawWidth: { mean: 0.629, sd: 0.038 },
  browHeight: { mean: 0.167, sd: 0.013 },
};

/** Prototype z-scores in MEASUREMENTS order. */
export const PROTOTYPES: Record<string, readonly number[]> = {
  //          length open  tilt  space nose  mouth jaw   brow
  mouse:   [ 0.2,  0.8,  0.3, -1.2, -1.2, -1.0, -0.8,  0.2],
  cow:     [-1.0,  0.8, -0.6,  0.6,  1.4,  0.6,  1.4, -0.2],
  tiger:   [ 0.0, -0.9,  1.6,  0.0,  0.6,  0.4,  1.2, -1.2],
  rabbit:  [ 0.2,  1.5,  0.0,  1.2, -0.8, -0.9, -1.0,  1.0],
  dragon:  [ 1.3,  0.0,  1.2,  0.2,  0.4,  1.2,  0.2,  1.2],
  snake:   [ 1.0, -1.5,  0.6, -0.4, -1.0,  0.0, -1.2,  0.0],
  horse:   [ 1.8,  0.0, -0.2,  1.0,  1.0,  0.0,  0.4, -0.6],
  lamb:    [-0.2,  1.0, -1.3,  0.2, -0.6, -0.6, -0.6,  0.6],
  monkey:  [-1.4,  0.2,  0.2, -1.2,  0.2,  1.4, -0.2, -1.0],
  chicken: [ 0.6,  0.6,  0.4, -0.6, -1.0, -1.4, -1.4,  1.4],
  dog:     [ 0.0,  0.6, -1.4,  0.4,  0.8,  1.0,  0.4,  0.0],
  pig:     [-1.6, -0.8, -0.4,  0.4,  1.6,  0.0,  1.6,  0.4],
};

/** softmax temperature: larger = more decisive percentages */
export const SHARPNESS = 2.2;

const PHRASES: Record<Measurement, [high: string, low: string]> = {
  faceLength: ['얼굴이 긴 편', '얼굴이 둥글고 짧은 편'],
  eyeOpen: ['눈이 크고 동그란 편', '눈매가 가늘고 길쭉한 편'],
  eyeTilt: ['눈꼬리가 올라간 편', '눈꼬리가 내려간 편'],
  eyeSpacing: ['미간이 넓은 편', '미간이 좁은 편'],
  noseWidth: ['코가 넓고 듬직한 편', '코가 좁고 오뚝한 편'],
  mouthWidth: ['입이 큰 편', '입이 작은 편'],
  jawWidth: ['턱선이 넓고 각진 편', '턱선이 갸름한 편'],
  browHeight: ['눈썹과 눈 사이가 넓은 편', '눈썹이 눈 가까이 붙은 편'],
};

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
const mid = (pts: Point[]): Point => ({
  x: pts.reduce((s, p) => s + p.x, 0) / pts.length,
  y: pts.reduce((s, p) => s + p.y, 0) / pts.length,
});

/** The eight proportions of a 68-point face, after rotating it upright around the eyes' midpoint. */
export function measure(landmarks: Point[]): Measurements {
  if (landmarks.length !== 68) throw new Error('68 landmarks expected');
  const le = mid(landmarks.slice(36, 42));
  const re = mid(landmarks.slice(42, 48));
  const angle = Math.atan2(re.y - le.y, re.x - le.x);
  const c = mid([le, re]);
  const cos = Math.cos(-angle);
  const sin = Math.sin(-angle);
  const p = landmarks.map((q) => ({
    x: c.x + (q.x - c.x) * cos - (q.y - c.y) * sin,
    y: c.y + (q.x - c.x) * sin + (q.y - c.y) * cos,
  }));
  const at = (i: number) => p[i]!;
  const width = dist(at(0), at(16)) || 1;
  const browY = (at(19).y + at(24).y) / 2;
  const length = at(8).y - browY || 1;
  const eyeAspect = (o: number, t1: number, t2: number, i: number, b1: number, b2: number) =>
    (dist(at(t1), at(b2)) + dist(at(t2), at(b1))) / (2 * (dist(at(o), at(i)) || 1));
  const eyeOpen = (eyeAspect(36, 37, 38, 39, 40, 41) + eyeAspect(45, 44, 43, 42, 47, 46)) / 2;
  // outer corner above inner corner (smaller y) = upturned; relative to the eye's width
  const tiltL = (at(39).y - at(36).y) / (dist(at(36), at(39)) || 1);
  const tiltR = (at(42).y - at(45).y) / (dist(at(42), at(45)) || 1);
  const eyeY = (mid(p.slice(36, 42)).y + mid(p.slice(42, 48)).y) / 2;
  const browMid = (mid(p.slice(17, 22)).y + mid(p.slice(22, 27)).y) / 2;
  return {
    faceLength: length / width,
    eyeOpen,
    eyeTilt: (tiltL + tiltR) / 2,
    eyeSpacing: dist(at(39), at(42)) / width,
    noseWidth: dist(at(31), at(35)) / width,
    mouthWidth: dist(at(48), at(54)) / width,
    jawWidth: dist(at(5), at(11)) / width,
    browHeight: (eyeY - browMid) / length,
  };
}

export function standardise(m: Measurements): number[] {
  return MEASUREMENTS.map((k) => Math.max(-3, Math.min(3, (m[k] - NORMS[k].mean) / NORMS[k].sd)));
}

/** inverse of standardise(): the measurements whose z-scores are `z` (tests build faces with it) */
export function fromZ(z: readonly number[]): Measurements {
  return Object.fromEntries(MEASUREMENTS.map((k, i) => [k, NORMS[k].mean + (z[i] ?? 0) * NORMS[k].sd])) as Measurements;
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
  const logits = ANIMALS.map((a) => {
    const proto = PROTOTYPES[a.name]!;
    return -SHARPNESS * Math.sqrt(z.reduce((s, v, i) => s + (v - proto[i]!) ** 2, 0));
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

function explain(z: number[], animal: Animal): string {
  const proto = PROTOTYPES[animal.name]!;
  const agreeing = MEASUREMENTS.map((k, i) => ({ k, z: z[i]!, p: proto[i]! }))
    .filter((f) => Math.sign(f.z) === Math.sign(f.p) && Math.abs(f.z) >= 0.3 && Math.abs(f.p) >= 0.3)
    .sort((a, b) => Math.min(Math.abs(b.z), Math.abs(b.p)) - Math.min(Math.abs(a.z), Math.abs(a.p)))
    .slice(0, 2);
  if (agreeing.length === 0) {
    return `뚜렷하게 튀는 부분 없이 얼굴 전체의 비율이 ${animal.nameKo}의 기준형과 가장 가까웠습니다.`;
  }
  const parts = agreeing.map((f) => PHRASES[f.k][f.z > 0 ? 0 : 1]);
  return `${parts.join('이고 ')}이라 ${animal.nameKo}의 특징과 가장 가깝습니다.`;
}
