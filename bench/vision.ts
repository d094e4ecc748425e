// Vision benchmark: face-api (WASM) model load time, per-photo latency at 640 px (p50/p99) for
// both detectors, memory per analysis thread, and end-to-end zodiac throughput with 1 and 2
// `worker` processes (BullMQ; needs DATABASE_URL and REDIS_URL, else skipped with a note).
// Photos: drawn faces (ours) and face-api's demo photos read from node_modules.
import pg from 'pg';
import { decodeForInference } from '../src/core/vision/image-intake.js';
import type { RgbImage } from '../src/core/vision/face-analyzer.js';
import { ThreadPoolAnalyzer } from '../src/core/vision/pool.js';
import { demoPhoto, syntheticFace } from '../test/fixtures/images.js';
import { poll, upload, user } from '../test/fixtures/zodiac-http.js';
import { processEnv, startProcess, type Proc } from '../test/spawn.js';
import { printTable, rssOf } from './lib.js';
import { compositeFaces } from '../src/apps/igemoji/compositor.js';
import { classify } from '../src/apps/igemoji/expressions.js';
import { renderTwemoji } from '../src/apps/igemoji/pictures.js';
import { syntheticFace as faceLayout } from '../test/fixtures/igemoji/layout.js';

const ROUNDS = Number(process.env.BENCH_VISION_ROUNDS ?? 30);
const PHOTOS = Number(process.env.BENCH_VISION_PHOTOS ?? 24);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (n: number) => n.toFixed(0);

async function photos(): Promise<Array<{ name: string; bytes: Buffer }>> {
  const out = [{ name: 'drawn face', bytes: await syntheticFace('jpeg', {}, 640) }];
  for (const n of [1, 3, 5]) {
    const b = demoPhoto(n);
    if (b) out.push({ name: `demo sample${n}`, bytes: b });
  }
  return out;
}

async function latency(): Promise<void> {
  const rss0 = await rssOf(process.pid);
  const pool = new ThreadPoolAnalyzer(1);
  const t0 = performance.now();
  const ready = await pool.ready();
  const wall = performance.now() - t0;
  const rss1 = await rssOf(process.pid);
  const images: Array<{ name: string; rgb: RgbImage; decodeMs: number }> = [];
  for (const p of await photos()) {
    const d0 = performance.now();
    const rgb = await decodeForInference(p.bytes);
    images.push({ name: `${p.name} (${rgb.width}×${rgb.height})`, rgb, decodeMs: performance.now() - d0 });
  }
  const rows: Array<Record<string, string | number>> = [];
  for (const detector of ['tiny', 'ssd'] as const) {
    for (const img of images) {
      await pool.analyze(img.rgb, { detector }); // warm-up
      const times: number[] = [];
      let faces = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const s = performance.now();
        faces = (await pool.analyze(img.rgb, { detector })).faces.length;
        times.push(performance.now() - s);
      }
      rows.push({ detector, photo: img.name, faces, 'decode ms': ms(img.decodeMs), 'p50 ms': ms(pct(times, 50)), 'p99 ms': ms(pct(times, 99)) });
    }
  }
  const rss2 = await rssOf(process.pid);
  await pool.close();
  printTable(`per-photo latency, one analysis thread, ${ROUNDS} rounds (landmarks + expressions included)`, rows);
  printTable('model load and memory (this process)', [
    {
      backend: ready.backend,
      'model load ms (in thread)': ms(ready.loadMs),
      'thread start + load ms': ms(wall),
      'RSS before MB': rss0,
      'RSS after load MB': rss1,
      'RSS after runs MB': rss2,
      'per analysis thread MB': rss2 - rss0,
    },
  ]);
}

async function throughput(): Promise<void> {
  const db = process.env.DATABASE_URL;
  const redis = process.env.REDIS_URL;
  if (!db || !redis) {
    console.log('\n(throughput with worker processes skipped: set DATABASE_URL and REDIS_URL)');
    return;
  }
  const name = 'madang_bench_vision';
  const admin = new pg.Client({ connectionString: db });
  await admin.connect();
  const url = new URL(db);
  url.pathname = `/${name}`;
  const rows: Array<Record<string, string | number>> = [];
  const bytes = (await photos()).map((p) => p.bytes);
  for (const workers of [1, 2]) {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    const env = processEnv({ DATABASE_URL: url.toString(), REDIS_URL: redis, MADANG_APPS: 'zodiac', RUN_WORKERS: 'false', LOG_LEVEL: 'warn', UPLOAD_MAX_PENDING_PER_USER: '100' });
    const api = await startProcess('serve', env);
    const procs: Proc[] = [];
    try {
      for (let i = 0; i < workers; i++) procs.push(await startProcess('worker', env));
      const u = await user(api, `bench${workers}`);
      // warm-up: every worker loads its model before the clock starts
      const warm = await Promise.all(procs.map(() => upload(api, u, bytes[0]!)));
      await waitAll(api, u, warm);
      const t0 = performance.now();
      const ids = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => upload(api, u, bytes[i % bytes.length]!)));
      await waitAll(api, u, ids);
      const secs = (performance.now() - t0) / 1000;
      const rss = await Promise.all(procs.map(async (p) => rssOf(await childPid(p))));
      rows.push({ 'worker processes': workers, photos: PHOTOS, seconds: secs.toFixed(1), 'photos/s': (PHOTOS / secs).toFixed(2), 'RSS per worker MB': rss.join(' / ') });
    } finally {
      for (const p of procs) await p.stop();
      await api.stop();
    }
  }
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
  printTable('end-to-end throughput (upload → BullMQ → worker → result), mixed photos', rows);
}

async function waitAll(api: Proc, u: { uuid: string; token: string }, ids: string[]): Promise<void> {
  const left = new Set(ids);
  const deadline = Date.now() + 300_000;
  while (left.size && Date.now() < deadline) {
    for (const id of [...left]) {
      const b = await poll(api, u, id);
      if (b.status === 'done' || b.status === 'failed') left.delete(id);
    }
    if (left.size) await new Promise((r) => setTimeout(r, 100));
  }
  if (left.size) throw new Error(`${left.size} analyses did not finish`);
}

/** tsx runs the program in a child process: measure that one */
async function childPid(p: Proc): Promise<number> {
  const { execFileSync } = await import('node:child_process');
  try {
    const kids = execFileSync('pgrep', ['-P', String(p.child.pid)]).toString().trim().split('\n').filter(Boolean);
    return Number(kids[0] ?? p.child.pid);
  } catch {
    return p.child.pid!;
  }
}

/**
 * igemoji: compositing alone (decode, fit + rotate each picture, blend, JPEG encode) on a
 * 1920 px demo photo with 1, 3 and 5 faces, then the whole job (decode for the model, detect,
 * classify, composite) run back to back and 4 at a time, i.e. photos/s for one worker process.
 */
export async function igemojiCompositing(): Promise<void> {
  const photo = demoPhoto(1);
  if (!photo) return console.log('\n(igemoji compositing skipped: face-api demo photos not found)');
  const picture = await renderTwemoji('1f604');
  const rows: Array<Record<string, string | number>> = [];
  for (const n of [1, 3, 5]) {
    const faces = Array.from({ length: n }, (_, i) => ({ geometry: faceLayout(250 + i * 350, 500 + (i % 2) * 200, 220, i * 9 - 18), picture }));
    await compositeFaces({ photo, analysedWidth: 1920, faces });
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const s = performance.now();
      await compositeFaces({ photo, analysedWidth: 1920, faces });
      times.push(performance.now() - s);
    }
    rows.push({ faces: n, photo: '1920×1280 JPEG', 'p50 ms': ms(pct(times, 50)), 'p99 ms': ms(pct(times, 99)) });
  }
  printTable(`igemoji compositing latency, ${ROUNDS} rounds (no detection)`, rows);

  const pool = new ThreadPoolAnalyzer(1);
  await pool.ready();
  const set = [1, 3, 5].map((k) => demoPhoto(k)).filter((b): b is Buffer => Boolean(b));
  const job = async (bytes: Buffer) => {
    const rgb = await decodeForInference(bytes);
    const analysis = await pool.analyze(rgb, { detector: 'tiny', fallback: true });
    const faces = analysis.faces.map((f) => ({ geometry: f, picture, cls: classify(f.expressions) }));
    return (await compositeFaces({ photo: bytes, analysedWidth: analysis.width, faces })).placements.length;
  };
  await job(set[0]!);
  const through: Array<Record<string, string | number>> = [];
  for (const concurrency of [1, 4]) {
    const total = Math.max(PHOTOS, concurrency);
    let next = 0;
    let faces = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const found = await job(set[next++ % set.length]!);
          faces += found;
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    through.push({ 'jobs at once': concurrency, photos: total, faces, seconds: secs.toFixed(1), 'photos/s per worker': (total / secs).toFixed(2) });
  }
  await pool.close();
  printTable('igemoji whole job in one worker (1 vision thread): decode → detect + expressions → composite', through);
}

export default async function run(): Promise<void> {
  await latency();
  await throughput();
  await igemojiCompositing();
}
