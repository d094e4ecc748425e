// How steady zodiac's reading of a face is: `npm run bench -- zodiac-stability <folder> [--limit=N]
// [--only=name|name] [--readings=saved.json]` (--only: some of STRATEGIES; --readings: the tables
// again from a run's saved readings, which every run writes to the temp folder).
// For each single face of a folder with a manifest.json (faces = 1), three files: the photo, its
// mirror image re-encoded (JPEG q92) and a lightly edited copy (brightness 1.06, saturation 0.95,
// JPEG q80), made here, never written. Each is read the way the app reads it (face-reading.ts: the
// photo and its own mirror image, each face's landmarks made steady, the two measurements
// averaged), by every landmark strategy of STRATEGIES on the same detections (analysed once, in
// this thread), and prints per strategy: the mean distance between the photo's and each copy's
// standardised measurements (11-d z-scores, and the 3-d point the animals are placed in), how
// often the animal stays the same, the top-1 shares and the two posed-expression series.
// Photos are read, never copied.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { imageTensor } from '../src/core/vision/crop.js';
import { largestFace, type Face, type RgbImage } from '../src/core/vision/face-analyzer.js';
import { FaceApiAnalyzer } from '../src/core/vision/faceapi.adapter.js';
import { decodeForInference } from '../src/core/vision/image-intake.js';
import { ANALYSIS_SIDE } from '../src/core/vision/photo.js';
import { CROPS, STEADY, steadyLandmarks, type Crop, type SteadyOptions } from '../src/core/vision/steady-landmarks.js';
import { matchMirrored, mirrorImage } from '../src/apps/zodiac/face-reading.js';
import { average, measure, meanOf, MEASUREMENTS, cellOf, project, score, standardise, type Measurements } from '../src/apps/zodiac/scoring.js';
import { calibrate, type Calibration } from '../src/apps/zodiac/calibrate.js';
import { ANIMALS } from '../src/apps/zodiac/animals.js';
import { printTable } from './lib.js';

/** nine crops, left/right symmetric: per scale the shifts −5/0/+5 % of the box across, the vertical shifts balanced */
const SYM9: Crop[] = [
  [0.9, -0.05, -0.05], [0.9, 0, 0.05], [0.9, 0.05, -0.05],
  [1, -0.05, 0], [1, 0, 0], [1, 0.05, 0],
  [1.1, -0.05, 0.05], [1.1, 0, -0.05], [1.1, 0.05, 0.05],
];
const base: SteadyOptions = { crops: CROPS, recentre: 0, clamp: Infinity, resample: 'net' };
const area: SteadyOptions = { ...base, resample: 'area' };
export const STRATEGIES: Record<string, SteadyOptions> = {
  'nine crops on the detector box (before)': base,
  'the same, every copy on the photo\'s own detector boxes': base,
  'nine crops averaged down (now)': STEADY,
  'averaged down, box re-derived twice, unbounded': { ...area, recentre: 2 },
  'averaged down, box re-derived twice, within 0.2': { ...STEADY, recentre: 2 },
  'the same with left/right symmetric crops': { ...STEADY, recentre: 2, crops: SYM9 },
};

type Variant = 'photo' | 'mirror' | 'edit';
const VARIANTS: Variant[] = ['photo', 'mirror', 'edit'];

function args(): { dir: string; limit: number; only?: string[] } {
  const all = process.argv.slice(2).filter((a) => a !== '--' && a !== 'zodiac-stability');
  const flag = all.find((a) => a.startsWith('--limit='));
  const limit = flag ? Number(flag.slice('--limit='.length)) : Infinity;
  const only = all.find((a) => a.startsWith('--only='))?.slice('--only='.length).split('|');
  return { dir: all.find((a) => !a.startsWith('--')) ?? process.env.VISION_PHOTOS_DIR ?? '', limit, ...(only ? { only } : {}) };
}

async function variant(bytes: Buffer, v: Variant): Promise<Buffer> {
  if (v === 'photo') return bytes;
  if (v === 'mirror') return sharp(bytes).rotate().flop().jpeg({ quality: 92 }).toBuffer();
  return sharp(bytes).rotate().modulate({ brightness: 1.06, saturation: 0.95 }).jpeg({ quality: 80 }).toBuffer();
}

const dist = (a: number[], b: number[]) => Math.hypot(...a.map((x, i) => x - b[i]!));

export default async function run(): Promise<void> {
  const { dir, limit, only } = args();
  if (!existsSync(path.join(dir, 'manifest.json'))) return console.log('\n(zodiac-stability skipped: pass a folder with a manifest.json)');
  const singles = (JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Array<{ file: string; faces: number }>).filter((e) => e.faces === 1);
  const chosen = Number.isFinite(limit) ? Array.from({ length: Math.min(limit, singles.length) }, (_, i) => singles[Math.floor((i * singles.length) / Math.min(limit, singles.length))]!) : singles;
  const names = Object.keys(STRATEGIES).filter((n) => !only || only.includes(n));
  console.log(`${chosen.length} single faces, strategies: ${names.join(' | ')}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const dumped = process.argv.find((a) => a.startsWith('--readings='))?.slice('--readings='.length);
  if (dumped) {
    // the tables again from a saved run's readings (written by every run to the temp folder)
    const saved = JSON.parse(readFileSync(dumped, 'utf8')) as Record<string, Record<string, Partial<Record<Variant, Measurements>>>>;
    return printTable('landmark strategies, from saved readings', Object.keys(saved).map((n) => summary(n, saved[n]!, NaN)));
  }
  const analyzer = new FaceApiAnalyzer();
  await analyzer.ready();
  // readings[strategy][photo][variant]
  const readings: Record<string, Record<string, Partial<Record<Variant, Measurements>>>> = Object.fromEntries(names.map((n) => [n, {}]));
  const cpu: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const fit: Array<{ width: number; height: number; raise: number }> = [];
  for (const e of chosen) {
    const bytes = readFileSync(path.join(dir, e.file));
    // the photo's own boxes, for the strategies that read every copy on them (", photo box"): what
    // is left when the detector's box does not move (the mirror copy gets them mirrored)
    let own: { face: Face; partner?: Face; width: number } | undefined;
    for (const v of VARIANTS) {
      const rgb = await decodeForInference(await variant(bytes, v), ANALYSIS_SIDE);
      const flipped = mirrorImage(rgb);
      const face = largestFace((await analyzer.analyze(rgb)).faces.filter((f) => f.landmarks.length === 68));
      if (!face) continue;
      const partner = matchMirrored([face], (await analyzer.analyze(flipped)).faces.filter((f) => f.landmarks.length === 68), rgb.width)[0];
      if (v === 'photo') {
        fit.push(boxFit(face));
        own = { face, ...(partner ? { partner } : {}), width: rgb.width };
      }
      for (const n of names) {
        let [f, p] = [face, partner];
        if (n.includes('own detector boxes') && own && v !== 'photo') {
          const flip = (g: Face): Face => ({ ...g, box: { ...g.box, x: own!.width - g.box.x - g.box.width } });
          [f, p] = v === 'edit' ? [own.face, own.partner] : [own.partner ?? flip(own.face), own.face];
        }
        const c0 = process.cpuUsage();
        const a = measure(await read(rgb, f, STRATEGIES[n]!));
        const b = p ? measure(await read(flipped, p, STRATEGIES[n]!)) : undefined;
        const c = process.cpuUsage(c0);
        cpu[n]! += (c.user + c.system) / 1000;
        ((readings[n]![e.file] ??= {})[v] = average(a, b));
      }
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(`SSD's box in spreads of the points (median): width ${med(fit.map((f) => f.width)).toFixed(3)}, height ${med(fit.map((f) => f.height)).toFixed(3)}, centre above their centroid ${med(fit.map((f) => f.raise)).toFixed(3)}`);
  writeFileSync(path.join(os.tmpdir(), 'madang-zodiac-stability.json'), JSON.stringify(readings));
  const rows = names.map((n) => summary(n, readings[n]!, cpu[n]! / chosen.length / 3));
  printTable('landmark strategies (photo vs its re-encoded mirror, vs a lightly edited copy)', rows);
}

async function read(rgb: RgbImage, face: Face, o: SteadyOptions) {
  const t = imageTensor(rgb.data, rgb.width, rgb.height);
  try {
    return await steadyLandmarks(t as never, face.box, face.landmarks, o);
  } finally {
    t.dispose();
  }
}

/** how SSD's box sits on the face's points: its side over their spread, its centre below their centroid */
function boxFit(f: Face): { width: number; height: number; raise: number } {
  const p = f.landmarks;
  const c = { x: p.reduce((s, q) => s + q.x, 0) / p.length, y: p.reduce((s, q) => s + q.y, 0) / p.length };
  const r = Math.sqrt(p.reduce((s, q) => s + (q.x - c.x) ** 2 + (q.y - c.y) ** 2, 0) / p.length);
  return { width: f.box.width / r, height: f.box.height / r, raise: (c.y - f.box.y - f.box.height / 2) / r };
}

function summary(name: string, byPhoto: Record<string, Partial<Record<Variant, Measurements>>>, cpuMs: number): Record<string, string> {
  const z: Record<Variant, number[]> = { photo: [], mirror: [], edit: [] };
  const q: Record<Variant, number[]> = { photo: [], mirror: [], edit: [] };
  const same: Record<Variant, number> = { photo: 0, mirror: 0, edit: 0 };
  const n: Record<Variant, number> = { photo: 0, mirror: 0, edit: 0 };
  const counts = new Map<string, number>(ANIMALS.map((a) => [a.name, 0]));
  const top = new Map<string, string>();
  for (const [file, r] of Object.entries(byPhoto)) {
    if (!r.photo) continue;
    const animal = score(r.photo).top3[0]!.animal.name;
    top.set(file, animal);
    counts.set(animal, counts.get(animal)! + 1);
    const zp = standardise(r.photo);
    for (const v of ['mirror', 'edit'] as const) {
      n[v]++;
      const m = r[v];
      if (!m) continue;
      const zv = standardise(m);
      z[v].push(dist(zp, zv));
      q[v].push(dist(project(zp), project(zv)));
      if (score(m).top3[0]!.animal.name === animal) same[v]++;
    }
  }
  const avg = (xs: number[]) => `${(xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length)).toFixed(3)} (${([...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN).toFixed(3)})`;
  // the same faces calibrated on this strategy's own readings (in sample, alike for every strategy):
  // its distances in its own units, and how often the animal stays
  const own = selfCalibrated(byPhoto);
  const ownZ = { mirror: [] as number[], edit: [] as number[] };
  const ownSame = { mirror: 0, edit: 0 };
  for (const r of Object.values(byPhoto)) {
    if (!r.photo) continue;
    for (const v of ['mirror', 'edit'] as const) {
      if (!r[v]) continue;
      ownZ[v].push(dist(own.z(r.photo), own.z(r[v])));
      if (own.animal(r.photo) === own.animal(r[v])) ownSame[v]++;
    }
  }
  const series = ['a', 'b'].map((s) => {
    const got = [...top].filter(([f]) => f.includes(`stock-emotions-${s}-`)).map(([, a]) => a);
    const c = new Map<string, number>();
    for (const g of got) c.set(g, (c.get(g) ?? 0) + 1);
    return `${Math.max(0, ...c.values())}/${got.length}`;
  });
  const total = top.size || 1;
  const shares = [...counts.values()].map((c) => (100 * c) / total);
  return {
    strategy: name,
    'z dist mirror / edit, mean (median)': `${avg(z.mirror)} / ${avg(z.edit)}`,
    '3-d dist mirror / edit': `${avg(q.mirror)} / ${avg(q.edit)}`,
    'same animal mirror / edit': `${same.mirror}/${n.mirror} / ${same.edit}/${n.edit}`,
    'own units: z dist mirror / edit': `${avg(ownZ.mirror)} / ${avg(ownZ.edit)}`,
    'own calibration: same animal mirror / edit': `${ownSame.mirror}/${n.mirror} / ${ownSame.edit}/${n.edit}`,
    'series a, b': series.join(', '),
    'shares min–max': `${Math.min(...shares).toFixed(1)}–${Math.max(...shares).toFixed(1)} %`,
    'CPU per reading (photo + its mirror)': `${cpuMs.toFixed(0)} ms`,
  };
}

/** a calibration on the photos' own readings (the two series as within-person spread), and how it scores */
function selfCalibrated(byPhoto: Record<string, Partial<Record<Variant, Measurements>>>): { z: (m: Measurements) => number[]; animal: (m: Measurements) => number; cal: Calibration } {
  const faces: Measurements[] = [];
  const series = new Map<string, Measurements[]>();
  for (const [file, r] of Object.entries(byPhoto)) {
    if (!r.photo) continue;
    const id = /emotions-([a-z0-9]+)-\d+/.exec(file)?.[1];
    if (id) series.set(id, [...(series.get(id) ?? []), r.photo]);
    else faces.push(r.photo);
  }
  for (const g of series.values()) faces.push(meanOf(g));
  const cal = calibrate(faces, MEASUREMENTS, { series: [...series.values()], mirrors: [] });
  const z = (m: Measurements) => standardise(m, cal);
  return { z, cal, animal: (m) => cellOf(project(z(m), cal), cal.grid) };
}
