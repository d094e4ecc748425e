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
import { average, cellOf, meanOf, MEASUREMENTS, project, score, standardise, type Measurements } from '../src/apps/zodiac/scoring.js';
import { demoPhoto } from '../test/fixtures/images.js';
import { printTable } from './lib.js';

// per way of reading the landmarks: another STEADY or box reads every face again
const CACHE = path.join(os.tmpdir(), `madang-zodiac-calibrate-v6-${createHash('sha256').update(JSON.stringify({ STEADY, BOX_WIDTH, BOX_HEIGHT, BOX_RAISE })).digest('hex').slice(0, 8)}.json`);
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
  for (const g of series) faces.push(meanOf(g));
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
  printTable('one person, several expressions: on one animal, out of each series', transplanted(samples));
}

/**
 * faces the calibration did not see: the photos split at random in two halves (HALVES times, a
 * fixed seed; the series always on the calibration side), each half scored by the other's
 * calibration. With ~50 faces over 12 animals the shares of one split are mostly luck, so the
 * means over the splits are printed, beside what a perfectly even rule gives on the same numbers
 * of faces (chi² of the counts against 1/12 each: 11 on average for a perfectly even rule).
 */
function splitHalf(samples: Sample[]): Array<Record<string, string>> {
  const photos = [...new Set(samples.map((s) => s.photo))];
  let seed = 2024;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const acc = { rule: { chi: 0, largest: 0, reached: 0 }, even: { chi: 0, largest: 0, reached: 0 } };
  const add = (into: typeof acc.rule, counts: number[], n: number) => {
    const e = n / 12;
    into.chi += counts.reduce((t, c) => t + (c - e) ** 2 / e, 0) / HALVES;
    into.largest += Math.max(...counts) / n / HALVES;
    into.reached += counts.filter((c) => c > 0).length / HALVES;
  };
  for (let h = 0; h < HALVES; h++) {
    const half = new Set(photos.filter(() => rnd() < 0.5));
    const inTrain = (s: Sample) => SERIES.test(s.photo) || half.has(s.photo);
    const p = people(samples.filter(inTrain));
    const cal = calibrate(p.faces, MEASUREMENTS, { series: p.series, mirrors: p.mirrors });
    const test = samples.filter((s) => !inTrain(s));
    const counts = new Array<number>(12).fill(0);
    const even = new Array<number>(12).fill(0);
    for (const s of test) {
      counts[cellOf(project(standardise(s.m, cal), cal), cal.grid)]!++;
      even[Math.floor(rnd() * 12)]!++;
    }
    add(acc.rule, counts, test.length);
    add(acc.even, even, test.length);
  }
  const row = (name: string, r: typeof acc.rule) => ({ 'scored by': name, 'chi² (mean)': r.chi.toFixed(1), 'largest share (mean)': `${(100 * r.largest).toFixed(1)} %`, 'animals reached (mean)': r.reached.toFixed(1) });
  return [row(`the other half's calibration (${HALVES} splits)`, acc.rule), row('a perfectly even rule, same faces', acc.even)];
}

const HALVES = 200;

/**
 * How often one person's photos stay on one animal, less dependent on where this one person
 * happens to sit than the series' own count: each series' spread around its mean (expressions,
 * head turns) is moved onto every other person of the set, who is then scored with a calibration
 * that did not see that series; the mean over those people of the photos on the most common
 * animal, and how often that is 6 or more of 8.
 */
function transplanted(samples: Sample[]): Array<Record<string, string>> {
  const ids = [...new Set(samples.map((s) => SERIES.exec(s.photo)?.[1]).filter((x): x is string => !!x))].sort();
  return ids.map((id) => {
    const p = people(samples.filter((s) => SERIES.exec(s.photo)?.[1] !== id));
    const cal = calibrate(p.faces, MEASUREMENTS, { series: p.series, mirrors: p.mirrors });
    const own = samples.filter((s) => SERIES.exec(s.photo)?.[1] === id).map((s) => s.m);
    const mean = meanOf(own);
    const others = people(samples.filter((s) => !SERIES.test(s.photo))).faces;
    let onOne = 0;
    let six = 0;
    for (const o of others) {
      const counts = new Array<number>(12).fill(0);
      for (const m of own) {
        const moved = Object.fromEntries(MEASUREMENTS.map((k) => [k, o[k] + m[k] - mean[k]])) as Measurements;
        moved.headTurn = Math.max(0, (o.headTurn ?? 0) + (m.headTurn ?? 0) - (mean.headTurn ?? 0));
        counts[cellOf(project(standardise(moved, cal), cal), cal.grid)]!++;
      }
      onOne += Math.max(...counts) / others.length;
      if (Math.max(...counts) >= 6) six += 1 / others.length;
    }
    return { series: id, photos: String(own.length), 'on one animal (mean over people)': onOne.toFixed(2), '6 or more': `${(100 * six).toFixed(0)} %` };
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
