// FaceAnalyzer on @vladmandic/face-api with TensorFlow.js' WASM backend (face-api's node-wasm
// build uses the @tensorflow/tfjs engine imported here, so the backend chosen here is its backend). Weights ship inside the
// npm package (nothing is downloaded). The node-wasm bundle is imported on purpose: the bare
// package pulls tfjs-node, a native build we do not install. Models load once per thread.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import {
  EXPRESSIONS,
  rollFromLandmarks,
  sortLeftToRight,
  VisionUnavailableError,
  type AnalyzeOptions,
  type Box,
  type Detector,
  type Expression,
  type Face,
  type FaceAnalysis,
  type FaceAnalyzer,
  type RgbImage,
} from './face-analyzer.js';
import { clip, iou, plausibleLayout, suppress, tiles, unturn, unturnBox, type Candidate, type Turn } from './detection.js';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
export const MODEL_DIR = path.join(PACKAGE_DIR, 'model');
const WASM_DIR = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;

/** tiny detector input size: 416 keeps faces down to ~40 px at 640 px images */
const TINY_INPUT = 416;
/** SSD sees its input at 512 × 512: larger photos are also searched in tiles of this side */
const TILE = 640;
/** photos up to this side are searched whole only */
const TILE_ABOVE = 720;
/** border added on each side (share of the longer side) when nothing is found: tight crops */
const PAD = 0.3;
/** SSD confidence kept by default: the lowest true face in the development photos scored ~0.36 */
export const DEFAULT_MIN_SCORE = 0.4;
export const DEFAULT_MAX_FACES = 100;
/** faces with a twisted layout searched again turned, per photo (each costs up to 6 SSD passes on a small area) */
const MAX_TURNED_FACES = 4;

type T3 = faceapi.tf.Tensor3D;

interface Found extends Candidate {
  /** quarter turns the image was turned by when this face was found */
  turn: Turn;
}

export class FaceApiAnalyzer implements FaceAnalyzer {
  private loading?: Promise<{ loadMs: number; backend: string }>;

  ready(): Promise<{ loadMs: number; backend: string }> {
    this.loading ??= load();
    return this.loading;
  }

  /**
   * The pipeline (docs/architecture.md, vision): SSD on the whole photo; on large photos that may
   * hold small faces, SSD on overlapping tiles too; nothing found → the photo padded with a border
   * (a face that fills the frame), then TinyFaceDetector; all candidates merged by NMS so one
   * face gives one result. Then landmarks per face; if no face has a plausible upright layout, the
   * photo is searched again turned by 90°, 270° and 180° and the faces are mapped back (their
   * landmarks, hence their roll, are in the original's coordinates). Expressions are classified on
   * the landmark-aligned crop and its mirror image, averaged.
   */
  async analyze(image: RgbImage, opts: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    await this.ready();
    const t0 = performance.now();
    const maxFaces = Math.max(1, opts.maxFaces ?? DEFAULT_MAX_FACES);
    const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
    const input = faceapi.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32') as T3;
    try {
      let faces = await this.upright(input, image.width, image.height, 0, opts, minScore, false);
      if (opts.rotations !== false) {
        if (faces.length === 0) faces = await this.turned(input, { x: 0, y: 0, width: image.width, height: image.height }, opts, minScore);
        else {
          // a face lying on its side or upside down: its landmarks come out twisted; search the
          // area around it turned, and keep the turned face if its layout is upright there
          const odd = faces.map((f, i) => ({ f, i })).filter(({ f }) => !plausibleLayout(f.landmarks, f.box)).slice(0, MAX_TURNED_FACES);
          for (const { f, i } of odd) {
            const m = Math.max(f.box.width, f.box.height);
            const area = clip({ x: f.box.x - m, y: f.box.y - m, width: f.box.width + 2 * m, height: f.box.height + 2 * m }, image.width, image.height);
            const better = (await this.turned(input, area, opts, minScore)).filter((g) => iou(g.box, f.box) > 0.2);
            if (better.length) faces[i] = better.sort((a, b) => b.score - a.score)[0]!;
          }
          faces = suppress(faces);
        }
      }
      faces = [...faces].sort((a, b) => b.score - a.score).slice(0, maxFaces);
      return { width: image.width, height: image.height, faces: sortLeftToRight(faces), ms: performance.now() - t0 };
    } finally {
      input.dispose();
    }
  }

  /** faces with an upright layout in `area` of the photo turned by 90°, 270° or 180° (the turn with the surest face), in the photo's coordinates */
  private async turned(input: T3, area: Box, opts: AnalyzeOptions, minScore: number): Promise<Face[]> {
    const part = faceapi.tf.slice(input, [Math.round(area.y), Math.round(area.x), 0], [Math.round(area.height), Math.round(area.width), 3]) as T3;
    const w = part.shape[1];
    const h = part.shape[0];
    try {
      // every turn is tried: the landmark net draws an upright-looking layout even on a face upside
      // down, so the turn is the one where the detector is surest (an upright face scores highest)
      let best: { faces: Face[]; score: number } = { faces: [], score: 0 };
      for (const turn of [1, 3, 2] as const) {
        const t = turnImage(part, turn);
        try {
          const more = await this.upright(t, turn % 2 ? h : w, turn % 2 ? w : h, turn, opts, minScore, true);
          const good = more.filter((f) => plausibleLayout(f.landmarks, f.box));
          const score = Math.max(0, ...good.map((f) => f.score));
          if (score > best.score) best = { faces: good.map((f) => shift(unturnFace(f, turn, w, h), Math.round(area.x), Math.round(area.y))), score };
        } finally {
          t.dispose();
        }
      }
      return best.faces;
    } finally {
      part.dispose();
    }
  }

  async close(): Promise<void> {
    // the WASM module lives as long as the thread; nothing to release per analyzer
  }

  /** faces of an (already turned) image, in its own coordinates */
  /** `quick`: the turned retries search the whole photo and its padded copy only (no tiles, no tiny) */
  private async upright(img: T3, width: number, height: number, turn: Turn, opts: AnalyzeOptions, minScore: number, quick: boolean): Promise<Face[]> {
    // a detector named with fallback: the whole pipeline, which falls back on its own
    const found = await this.find(img, width, height, turn, opts.fallback ? 'auto' : (opts.detector ?? 'auto'), minScore, quick);
    return this.describe(img, found, opts);
  }

  private async find(img: T3, width: number, height: number, turn: Turn, detector: Detector | 'auto', minScore: number, quick: boolean): Promise<Found[]> {
    const at = (c: Candidate[], dx = 0, dy = 0): Found[] => c.map((f) => ({ box: { ...f.box, x: f.box.x + dx, y: f.box.y + dy }, score: f.score, turn }));
    if (detector === 'tiny') return at(await tinyPass(img, minScore));
    let cands = at(await ssdPass(img, minScore));
    const long = Math.max(width, height);
    const onlyBigFace = cands.length === 1 && cands[0]!.box.width >= 0.12 * long;
    if (long > TILE_ABOVE && !onlyBigFace && !quick) {
      for (const t of tiles(width, height, TILE)) {
        const part = faceapi.tf.slice(img, [t.y, t.x, 0], [t.height, t.width, 3]) as T3;
        try {
          cands.push(...at(await ssdPass(part, minScore), t.x, t.y));
        } finally {
          part.dispose();
        }
      }
    }
    cands = suppress(cands);
    if (cands.length || detector === 'ssd') return cands;
    // a face that fills the frame: give the detector the border it expects around a face
    const pad = Math.round(PAD * long);
    const padded = faceapi.tf.pad(img, [[pad, pad], [pad, pad], [0, 0]], 127) as T3;
    try {
      const back = (c: Candidate[]) => at(c, -pad, -pad).map((f) => ({ ...f, box: clip(f.box, width, height) }));
      cands = suppress(back(await ssdPass(padded, minScore)));
      if (!cands.length && !quick) cands = suppress([...at(await tinyPass(img, minScore)), ...back(await tinyPass(padded, minScore))]);
    } finally {
      padded.dispose();
    }
    return cands;
  }

  private async describe(img: T3, found: Found[], opts: AnalyzeOptions): Promise<Face[]> {
    if (!found.length) return [];
    const rects = found.map((f) => new faceapi.Rect(f.box.x, f.box.y, f.box.width, f.box.height));
    const crops = await faceapi.extractFaceTensors(img, rects);
    const faces: Face[] = [];
    try {
      for (let i = 0; i < found.length; i++) {
        const f = found[i]!;
        const rel = (await faceapi.nets.faceLandmark68Net.detectLandmarks(crops[i]!)) as faceapi.FaceLandmarks68;
        const shifted = rel.shiftBy<faceapi.FaceLandmarks68>(Math.max(0, Math.round(f.box.x)), Math.max(0, Math.round(f.box.y)));
        const landmarks = shifted.positions.map((p) => ({ x: p.x, y: p.y }));
        const aligned = shifted.align();
        const [alignedCrop] = await faceapi.extractFaceTensors(img, [new faceapi.Rect(aligned.x, aligned.y, aligned.width, aligned.height)]);
        try {
          const expressions = await expressionsOf(alignedCrop!, opts.mirrorExpressions !== false);
          let descriptor: number[] | undefined;
          if (opts.descriptors) {
            // the recognition net is only needed for descriptors: loaded on first use
            await once('recognition', () => faceapi.nets.faceRecognitionNet.loadFromDisk(MODEL_DIR));
            descriptor = Array.from((await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(alignedCrop!)) as Float32Array);
          }
          faces.push({
            box: f.box,
            score: round4(f.score),
            landmarks,
            rollDeg: rollFromLandmarks(landmarks),
            expressions,
            ...(descriptor ? { descriptor } : {}),
          });
        } finally {
          alignedCrop?.dispose();
        }
      }
    } finally {
      for (const c of crops) c.dispose();
    }
    return faces;
  }
}

async function ssdPass(img: T3, minScore: number): Promise<Candidate[]> {
  const dets = await faceapi.nets.ssdMobilenetv1.locateFaces(img as never, new faceapi.SsdMobilenetv1Options({ minConfidence: minScore, maxResults: 200 }));
  return dets.map((d) => ({ box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }, score: d.score }));
}

async function tinyPass(img: T3, minScore: number): Promise<Candidate[]> {
  const dets = await faceapi.nets.tinyFaceDetector.locateFaces(img as never, new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT, scoreThreshold: minScore }));
  return dets.map((d) => ({ box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }, score: d.score }));
}

/** the image turned `turn` quarter turns clockwise */
function turnImage(img: T3, turn: Turn): T3 {
  return faceapi.tf.tidy(() => {
    if (turn === 2) return (tf.reverse(img as never, [0, 1]) as unknown) as T3;
    const t = faceapi.tf.transpose(img, [1, 0, 2]);
    return (tf.reverse(t as never, turn === 1 ? 1 : 0) as unknown) as T3;
  });
}

function shift(f: Face, dx: number, dy: number): Face {
  if (!dx && !dy) return f;
  return { ...f, box: { ...f.box, x: f.box.x + dx, y: f.box.y + dy }, landmarks: f.landmarks.map((p) => ({ x: p.x + dx, y: p.y + dy })) };
}

function unturnFace(f: Face, turn: Turn, width: number, height: number): Face {
  const landmarks = f.landmarks.map((p) => unturn(p, turn, width, height));
  return { ...f, box: unturnBox(f.box, turn, width, height), landmarks, rollDeg: rollFromLandmarks(landmarks) };
}

/** the expression net on a face crop and on its mirror image, averaged (a face's expression has no side) */
async function expressionsOf(crop: T3, mirror: boolean): Promise<Record<Expression, number>> {
  const read = async (t: T3) => (await faceapi.nets.faceExpressionNet.predictExpressions(t)) as unknown as Record<string, number>;
  const a = await read(crop);
  let b: Record<string, number> | undefined;
  if (mirror) {
    const flipped = (tf.reverse(crop as never, 1) as unknown) as T3;
    try {
      b = await read(flipped);
    } finally {
      flipped.dispose();
    }
  }
  return Object.fromEntries(EXPRESSIONS.map((e) => [e, round4(b ? ((a[e] ?? 0) + (b[e] ?? 0)) / 2 : (a[e] ?? 0))])) as Record<Expression, number>;
}

const lazy = new Map<string, Promise<void>>();
/** loads an optional net once per thread, however many analyses ask for it at the same time */
function once(name: string, load: () => Promise<void>): Promise<void> {
  let p = lazy.get(name);
  if (!p) {
    p = load().catch((err: Error) => {
      lazy.delete(name);
      throw new VisionUnavailableError(`${name} model could not be loaded from ${MODEL_DIR}: ${err.message}`);
    });
    lazy.set(name, p);
  }
  return p;
}

async function load(): Promise<{ loadMs: number; backend: string }> {
  const t0 = performance.now();
  setWasmPaths(WASM_DIR);
  const ok = await tf.setBackend('wasm');
  await tf.ready();
  // The CPU fallback is ~50× slower: refusing to start beats silently taking seconds per photo.
  if (!ok || tf.getBackend() !== 'wasm') {
    throw new VisionUnavailableError(`TensorFlow.js WASM backend did not start (backend: ${tf.getBackend()})`);
  }
  try {
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(MODEL_DIR);
    await faceapi.nets.tinyFaceDetector.loadFromDisk(MODEL_DIR);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(MODEL_DIR);
    await faceapi.nets.faceExpressionNet.loadFromDisk(MODEL_DIR);
  } catch (err) {
    throw new VisionUnavailableError(`face models could not be loaded from ${MODEL_DIR}: ${(err as Error).message}`);
  }
  await warm();
  return { loadMs: performance.now() - t0, backend: tf.getBackend() };
}

/**
 * One inference through every net at load time: WASM kernels and weight uploads happen on a net's
 * first run (seconds for SSD), so a thread that reports ready answers its first photo at speed.
 */
async function warm(): Promise<void> {
  const img = faceapi.tf.fill([320, 320, 3], 127, 'int32') as T3;
  const face = faceapi.tf.fill([112, 112, 3], 127, 'int32') as T3;
  try {
    await ssdPass(img, 0.99);
    await tinyPass(img, 0.99);
    await faceapi.nets.faceLandmark68Net.detectLandmarks(face);
    await faceapi.nets.faceExpressionNet.predictExpressions(face);
  } finally {
    img.dispose();
    face.dispose();
  }
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
