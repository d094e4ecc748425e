// Zodiac calibration: `npm run bench -- zodiac-calibrate [folder] [--write]`. Reads every usable
// face (detector score ≥ 0.5, plausible upright layout, ≥ 40 px wide) in the photos of a folder with
// a manifest.json (default $VISION_PHOTOS_DIR) and in face-api's demo photos, the way the app reads
// it (src/apps/zodiac/face-reading.ts: the photo and its mirror image, averaged); computes the
// calibration (src/apps/zodiac/calibrate.ts: norms over people and discriminant axes, nothing per
// photo) and prints the top-1 share of each animal. Photos named `…emotions-<x>-<n>.…` are one
// person with several expressions: they tell the calibration how much one face moves with the
// expression, and count as one person for the norms. Every face/mirror pair tells it the landmark
// noise. With --write it rewrites src/apps/zodiac/calibration.ts (the committed constants).
// Readings are cached in the OS temp folder per photo content, so a rerun does not analyse again.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { plausibleLayout } from '../src/core/vision/detection.js';
import { ThreadPoolAnalyzer } from '../src/core/vision/pool.js';
import { BOX_HEIGHT, BOX_RAISE, BOX_WIDTH, STEADY } from '../src/core/vision/steady-landmarks.js';
import { ANIMALS } from '../src/apps/zodiac/animals.js';
import { calibrate, type Calibration } from '../src/apps/zodiac/calibrate.js';
import { readPhoto } from '../src/apps/zodiac/face-reading.js';
import { average, MEASUREMENTS, nearest, score, turned, type Measurements } from '../src/apps/zodiac/scoring.js';
import { demoPhoto } from '../test/fixtures/images.js';
import { printTable } from './lib.js';

// per way of reading the landmarks: another STEADY or box reads every face again
const CACHE = path.join(os.tmpdir(), `madang-zodiac-calibrate-v5-${createHash('sha256').update(JSON.stringify({ STEADY, BOX_WIDTH, BOX_HEIGHT, BOX_RAISE })).digest('hex').slice(0, 8)}.json`);
/** the development set's naming of one person photographed with several expressions */
const SERIES = /emotions-([a-z0-9]+)-\d+\.[a-z]+$/i;

interface Reading {
  /** as photographed, and mirrored (absent when the mirror pass did not find the face) */
  a: Measurements;
  b?: Measurements;
  /** the face box's width in the analysed image (at most 1280 px on the longer side, as the app analyses it) */
  px: number;
}
interface Sample extends Reading {
  photo: string;
  m: Measurements;
}

async function facesOf(pool: ThreadPoolAnalyzer, name: string, bytes: Buffer, cache: Record<string, Reading[]>): Promise<Sample[]> {
  const key = createHash('sha256').update(bytes).digest('hex');
  if (!cache[key]) {
    const { analysis, faces } = await readPhoto(pool, bytes);
    const k = 1280 / Math.max(analysis.width, analysis.height);
    cache[key] = faces
      .filter(({ face: f }) => f.score >= 0.5 && f.box.width * k >= 40 && plausibleLayout(f.landmarks, f.box))
      .map((r) => ({ a: r.readings[0], ...(r.readings[1] ? { b: r.readings[1] } : {}), px: Math.round(r.face.box.width) }));
  }
  return cache[key].map((r) => ({ photo: name, ...r, m: average(r.a, r.b) }));
}

export function shares(samples: Array<{ m: Measurements }>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(ANIMALS.map((a) => [a.name, 0]));
  for (const s of samples) counts[score(s.m).top3[0]!.animal.name]!++;
  return counts;
}

/** one sample per person: the faces of the series become their mean; the series and the mirror pairs, apart */
export function people(samples: Sample[]): { faces: Measurements[]; series: Measurements[][]; mirrors: Array<[Measurements, Measurements]> } {
  const groups = new Map<string, Measurements[]>();
  const faces: Measurements[] = [];
  for (const s of samples) {
    const id = SERIES.exec(s.photo)?.[1];
    if (id) groups.set(id, [...(groups.get(id) ?? []), s.m]);
    else faces.push(s.m);
  }
  const series = [...groups.values()];
  for (const g of series) faces.push(Object.fromEntries(MEASUREMENTS.map((k) => [k, g.reduce((t, m) => t + m[k], 0) / g.length])) as Measurements);
  const mirrors = samples.flatMap((s): Array<[Measurements, Measurements]> => (s.b ? [[s.a, s.b]] : []));
  return { faces, series, mirrors };
}

export default async function run(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !['--', 'zodiac-calibrate', '--write'].includes(a));
  const write = process.argv.includes('--write');
  const dir = args[0] ?? process.env.VISION_PHOTOS_DIR ?? '';
  const files: Array<{ name: string; bytes: Buffer }> = [];
  if (existsSync(path.join(dir, 'manifest.json'))) {
    for (const e of JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Array<{ file: string }>) {
      files.push({ name: e.file, bytes: readFileSync(path.join(dir, e.file)) });
    }
  }
  for (let n = 1; n <= 6; n++) {
    const b = demoPhoto(n);
    if (b) files.push({ name: `face-api demo sample${n}`, bytes: b });
  }
  if (!files.length) return console.log('\n(zodiac-calibrate skipped: no photos)');
  const cache: Record<string, Reading[]> = existsSync(CACHE) ? (JSON.parse(readFileSync(CACHE, 'utf8')) as Record<string, Reading[]>) : {};
  const pool = new ThreadPoolAnalyzer(1);
  const samples: Sample[] = [];
  try {
    for (const f of files) {
      samples.push(...(await facesOf(pool, f.name, f.bytes, cache)));
      writeFileSync(CACHE, JSON.stringify(cache));
    }
  } finally {
    await pool.close();
  }
  const p = people(samples);
  const cal = calibrate(p.faces, MEASUREMENTS, { series: p.series, mirrors: p.mirrors });
  console.log(`\n${samples.length} faces (${files.length} photos): ${p.faces.length} people, ${p.series.length} expression series, ${p.mirrors.length} face/mirror pairs`);
  console.log(`axes (between-people / within-person spread): ${cal.axes.map((a) => a.ratio).join(', ')}`);
  if (write) {
    writeFileSync(path.resolve(import.meta.dirname, '../src/apps/zodiac/calibration.ts'), source(cal, files.length));
    console.log('wrote src/apps/zodiac/calibration.ts — rerun to see the shares under the new constants');
  }
  const counts = shares(samples);
  printTable('top-1 share per animal over every face of the set (current constants)', [
    Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, `${((100 * v) / samples.length).toFixed(1)} %`])),
  ]);
  printTable('split-half: calibrated on half the photos (and the series), shares on the other half', splitHalf(samples));
}

/** faces the calibration did not see: photos in two halves (alternately), each scored by the other's calibration */
function splitHalf(samples: Sample[]): Array<Record<string, string>> {
  const photos = [...new Set(samples.map((s) => s.photo))];
  return [0, 1].map((half) => {
    const inTrain = (s: Sample) => SERIES.test(s.photo) || photos.indexOf(s.photo) % 2 === half;
    const p = people(samples.filter(inTrain));
    const cal = calibrate(p.faces, MEASUREMENTS, { series: p.series, mirrors: p.mirrors });
    const v = turned(cal.turn);
    const counts = new Array<number>(12).fill(0);
    const test = samples.filter((s) => !inTrain(s));
    for (const s of test) {
      const z = MEASUREMENTS.map((k) => Math.max(-3, Math.min(3, (s.m[k] - cal.norms[k].mean) / cal.norms[k].sd)));
      counts[nearest(v, cal.axes.map((a) => a.weights.reduce((t, w, i) => t + w * z[i]!, 0) / a.sd))]!++;
    }
    const pc = (c: number) => `${((100 * c) / test.length).toFixed(1)} %`;
    return { half: `${half + 1} (${test.length} faces)`, reached: `${counts.filter((c) => c > 0).length} of 12`, smallest: pc(Math.min(...counts)), largest: pc(Math.max(...counts)) };
  });
}

function source(cal: Calibration, photos: number): string {
  return `// Generated by \`npm run bench -- zodiac-calibrate --write\` (bench/zodiac-calibrate.ts) from
// ${cal.faces} people in ${photos} real photos: per-measurement norms and the three
// discriminant axes of the standardised measurements (src/apps/zodiac/calibrate.ts). Do not edit by hand.
import type { Calibration } from './calibrate.js';

export const CALIBRATION: Calibration = ${JSON.stringify(cal, null, 2)};
`;
}
