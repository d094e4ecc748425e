// How a face becomes "87.3% tiger" — a documented, deterministic function (entertainment, not
// science; docs/apps/zodiac.md, "how the look-alike is decided"):
//  1. measure(): eleven bone-structure proportions from the 68 landmarks after undoing the head
//     roll: widths and lengths over the distance between the two eyes' corner midpoints (eye
//     corners barely move with the expression), symmetric left/right, and chosen not to move with
//     the expression: eye corners, nose, the jaw line; the chin only after taking out how far the
//     mouth is open; never the mouth width, the eye opening or the brows. The app measures the face
//     and its mirror image (face-reading.ts) and averages them, so a mirrored photo gets the same,
//     each on steady landmarks (nine crops averaged down to the net's input, on the detector's
//     box, core/vision/steady-landmarks.ts). It also reads how far the head is turned (headTurn);
//  2. upright(): take out what the head turn does to each proportion (a turned head looks
//     narrower between the eyes and wider in the face: CALIBRATION.pose, slopes fitted on the
//     calibration set), then standardise each one against the mean/spread measured on a varied
//     set of real faces (CALIBRATION.norms);
//  3. project the z-vector on three calibrated axes (CALIBRATION.axes): the directions along which
//     faces of different people differ most relative to how much one person's face varies with
//     expression and landmark noise (discriminant axes), each scaled to unit spread over people;
//  4. the twelve animals are the cells of a 3 × 2 × 2 grid on those axes, cut at the calibration
//     set's quantiles (CALIBRATION.grid), so each holds about 1/12 of its people whatever the
//     shape of the population; small balances move the borders where the axes are not
//     independent (distances(), calibrate.ts balanceOf);
//  5. similarity = softmax(−SHARPNESS × distances()) × 100, rounded to 1 decimal; top 3 kept;
//  6. the explanation names the measurements that pull the face most toward the winning animal's
//     cell centre.
import type { Point } from '../../core/vision/face-analyzer.js';
import { ANIMALS, type Animal } from './animals.js';
import { CALIBRATION } from './calibration.js';
import type { Calibration, Grid } from './calibrate.js';

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
/**
 * The eleven proportions, and how far the head is turned left or right (`headTurn`: 0 facing the
 * camera, 1 in profile; not scored: its effect on the proportions is taken out, see upright()).
 */
export type Measurements = Record<Measurement, number> & { headTurn?: number };

/** softmax temperature over distances() (squared, in bin units: neighbouring animals' points are 1 apart): larger = more decisive percentages */
export const SHARPNESS = 1;

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
  // the nose tip's place between the two ends of the jaw line: ½ facing the camera
  const span = at(16).x - at(0).x;
  const headTurn = span > 0 ? Math.min(1, Math.abs((2 * (at(30).x - at(0).x)) / span - 1)) : 0;
  return {
    headTurn,
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
  return b ? meanOf([a, b]) : a;
}

/** the mean of measurements (each proportion, and the head turn where all have one) */
export function meanOf(ms: readonly Measurements[]): Measurements {
  const m = Object.fromEntries(MEASUREMENTS.map((k) => [k, ms.reduce((t, x) => t + x[k], 0) / ms.length])) as Measurements;
  if (ms.every((x) => x.headTurn !== undefined)) m.headTurn = ms.reduce((t, x) => t + x.headTurn!, 0) / ms.length;
  return m;
}

/**
 * The proportions as the face would give them facing the camera: a turned head makes the far
 * side of the face and the distance between the eyes look narrower and the nose look longer, by
 * as much as people differ (measured over the calibration set: face and cheek width +3.3 of their
 * spread between people per unit of head turn, nose length +3.2). Each proportion less
 * CALIBRATION.pose (its slope over the head turn, fitted on the calibration set) times the turn.
 */
export function upright(m: Measurements, pose: Partial<Record<Measurement, number>> = CALIBRATION.pose ?? {}): number[] {
  const t = m.headTurn ?? 0;
  return MEASUREMENTS.map((k) => m[k] - (pose[k] ?? 0) * t);
}

export function standardise(m: Measurements, cal: Calibration = CALIBRATION): number[] {
  const u = upright(m, cal.pose ?? {});
  return MEASUREMENTS.map((k, i) => {
    const n = cal.norms[k];
    return Math.max(-3, Math.min(3, (u[i]! - n.mean) / n.sd));
  });
}

/** the whitened 3-d point of a z-vector */
export function project(z: readonly number[], cal: Calibration = CALIBRATION): number[] {
  return cal.axes.map((axis) => axis.weights.reduce((s, w, i) => s + w * (z[i] ?? 0), 0) / axis.sd);
}

/**
 * The animals' cells: the three axes are cut into GRID bins each (3 × 2 × 2 = 12), at the
 * calibration set's quantiles (terciles on the first axis, medians on the others), so each cell
 * holds 1/12 of the calibration set's people. A position on an axis is read in bin units
 * (`position`): each bin's centre (the people's quantile at its middle) is i + ½ and each cut
 * between bins is i, linear between; the animals' points are the cells' centres, so the nearest
 * point is the cell the face is in (up to the small balances, distances()).
 */
export const GRID = [3, 2, 2] as const;

/** where the whitened point q sits on the grid, in bin units (see GRID) */
export function position(q: readonly number[], grid: Grid = CALIBRATION.grid): number[] {
  return grid.knots.map((k, d) => along(k, q[d] ?? 0));
}

/** knots: centre₀, cut₁, centre₁, …, centreₙ₋₁ (increasing) ↦ ½, 1, 1½, …, n − ½; straight on beyond the ends */
function along(knots: readonly number[], x: number): number {
  const last = knots.length - 1;
  let i = 0;
  while (i < last - 1 && x > knots[i + 1]!) i++;
  const [a, b] = [knots[i]!, knots[i + 1]!];
  return 0.5 + (i + (b > a ? (x - a) / (b - a) : 0)) / 2;
}

/** the cell of each animal (ANIMALS order): bin numbers on the three axes, the first axis slowest */
export function cells(bins: readonly number[] = GRID): number[][] {
  const out: number[][] = [];
  const walk = (prefix: number[]) => {
    if (prefix.length === bins.length) return void out.push(prefix);
    for (let b = 0; b < bins[prefix.length]!; b++) walk([...prefix, b]);
  };
  walk([]);
  return out;
}

/** the index (ANIMALS order) of the animal whose cell holds the whitened point q */
export function cellOf(q: readonly number[], grid: Grid = CALIBRATION.grid): number {
  return cellAt(position(q, grid), grid);
}

/** the index (ANIMALS order) of the animal nearest a point already on the grid (bin units; the first on a tie) */
export function cellAt(t: readonly number[], grid: Grid = CALIBRATION.grid): number {
  const e = distances(t, grid);
  return e.indexOf(Math.min(...e));
}

/**
 * How far a point on the grid (bin units) is from each animal (ANIMALS order): the squared
 * distance to its cell's centre less the cell's balance (Grid.balance, 0 when not calibrated).
 * Without balances the nearest centre is the cell the point is in; the balances move the borders
 * between cells (straight lines still: a power diagram) so that each animal holds 1/12 of the
 * calibration set's people, also where the axes are not independent and a plain grid would leave
 * a corner nearly empty.
 */
export function distances(t: readonly number[], grid: Grid = CALIBRATION.grid): number[] {
  return cells(grid.bins).map((c, i) => c.reduce((s, b, d) => s + ((t[d] ?? 0) - b - 0.5) ** 2, 0) - (grid.balance?.[i] ?? 0));
}

/** the cells' centres in bin units (ANIMALS order) */
const CENTRES = cells(CALIBRATION.grid.bins).map((c) => c.map((b) => b + 0.5));

/** each animal's point in the whitened space (ANIMALS order): its cell's centre */
export const PROTOTYPES: Record<string, readonly number[]> = Object.fromEntries(
  CENTRES.map((c, i) => [ANIMALS[i]!.name, c.map((t, d) => CALIBRATION.grid.knots[d]![Math.round(2 * t - 1)]!)]),
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
  const t = position(project(z));
  const logits = distances(t).map((e) => -SHARPNESS * e);
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
