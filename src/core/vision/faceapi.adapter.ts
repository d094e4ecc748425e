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
import { crop, imageTensor, squareCrop } from './crop.js';
import { ssdFaces } from './ssd.js';
import { steadyLargest } from './steady-landmarks.js';
import { orient, STABLE_BELOW, turnImage, UPRIGHT_BELOW } from './orientation.js';
import { clip, intersection, plausibleLayout, suppress, unturn, unturnBox, type Candidate, type Turn } from './detection.js';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
export const MODEL_DIR = path.join(PACKAGE_DIR, 'model');
const WASM_DIR = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;

/** tiny detector input size: 416 keeps faces down to ~40 px at 640 px images */
const TINY_INPUT = 416;
/**
 * Small faces: photos longer than FINE_ABOVE are also searched whole at FINE_SIDE px (SSD's 512 px
 * pass sees a 1280 px photo at 0.4×, missing faces under ~50 px; at 1024 px it sees them at 0.8×,
 * the scale 640 px tiles gave, for 40 % of their CPU and without faces cut by tile edges).
 */
const FINE_SIDE = 1024;
const FINE_ABOVE = 720;
/** the fine pass is skipped when the 512 px pass found one face at least this share of the photo's longer side … */
const PORTRAIT_SHARE = 0.06;
/** … with at least this score (a portrait: the faces it could add are under 4 % of the frame) */
const PORTRAIT_SCORE = 0.8;
/** faces steady no way up searched again turned, per photo (each costs 3 small SSD passes) */
const MAX_UNSTEADY = 4;
/** side those small areas are searched at (the face is a third of the area: ~85 px) */
const AREA_SIDE = 256;
/**
 * border added on each side (share of the longer side) when nothing is found: tight crops. The
 * wider one is tried last: it found the three small crops (45–122 px) that 0.3 missed on the
 * development photos (a small face needs more context around it)
 */
const PADS = [0.3, 0.8];
/** below this score a face must have a steady layout (orientation.ts) to be kept */
const DOUBTFUL_BELOW = 0.5;
/** SSD confidence kept by default: the lowest true face in the development photos scored ~0.36 */
export const DEFAULT_MIN_SCORE = 0.4;
export const DEFAULT_MAX_FACES = 100;

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
   * The pipeline (docs/apps/igemoji.md §6.1): SSD on the whole photo at 512 px; unless that found a
   * portrait, at 1024 px too (small faces); nothing found → the photo padded with a border (a face
   * that fills the frame), then TinyFaceDetector; all candidates merged by NMS so one face gives
   * one result. Then per face: which way up it is (orientation.ts) and its landmarks read that way;
   * twisted faces and photos lying on their side are searched again turned, and the faces mapped
   * back (their landmarks, hence their roll, are in the photo's coordinates). Expressions are
   * classified on the landmark-aligned crop, cut the right way up, and its mirror image, averaged.
   */
  async analyze(image: RgbImage, opts: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    await this.ready();
    const t0 = performance.now();
    const maxFaces = Math.max(1, opts.maxFaces ?? DEFAULT_MAX_FACES);
    const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
    const input = imageTensor(image.data, image.width, image.height) as unknown as T3;
    try {
      const rotations = opts.rotations !== false;
      let faces = await this.upright(input, image.width, image.height, 0, opts, minScore, false);
      if (rotations) {
        const whole = { x: 0, y: 0, width: image.width, height: image.height };
        if (faces.length === 0) faces = await this.turned(input, whole, opts, minScore, [1, 3, 2]);
        else faces = await this.reorient(input, faces, opts, minScore);
        // a weak detection whose landmarks follow it no way up, beside a sure face, is not a face
        // (the only such one on the development photos was a patch of background); alone it is
        // kept: a weak face beats NO_FACE (a small tight crop scored 0.46)
        const doubtful = (f: Face) => !steady(f) && f.score < DOUBTFUL_BELOW;
        if (faces.some((f) => !doubtful(f))) faces = faces.filter((f) => !doubtful(f));
      }
      faces = [...faces].sort((a, b) => b.score - a.score).slice(0, maxFaces);
      if (opts.steadyLandmarks) faces = await steadyLargest(input, faces, opts.steadyLandmarks);
      return { width: image.width, height: image.height, faces: sortLeftToRight(faces), ms: performance.now() - t0 };
    } finally {
      input.dispose();
    }
  }

  /** the upright pass's faces after the turned searches: faces lying on their side or upside down get their real roll */
  private async reorient(input: T3, faces: Face[], opts: AnalyzeOptions, minScore: number): Promise<Face[]> {
    const [height, width] = input.shape;
    // a face steady no way up and twisted upright was seen from a poor box (SSD's boxes on a face
    // lying on its side are loose): the area around it is searched again turned, and a steady
    // face found there replaces it
    const unsteady = faces
      .map((f, i) => ({ f, i }))
      .filter(({ f }) => !steady(f) && !plausibleLayout(f.landmarks, f.box))
      .slice(0, MAX_UNSTEADY);
    for (const { f, i } of unsteady) {
      const m = Math.max(f.box.width, f.box.height);
      const area = clip({ x: f.box.x - m, y: f.box.y - m, width: f.box.width + 2 * m, height: f.box.height + 2 * m }, width, height);
      const better = (await this.turned(input, area, opts, minScore, [1, 3, 2], AREA_SIDE)).filter((g) => intersection(g.box, f.box) > 0);
      if (better.length) faces[i] = better.sort((a, b) => b.score - a.score)[0]!;
    }
    if (unsteady.length) faces = suppress(faces);
    // most faces found turned: the photo is likely turned as a whole (a phone photo without its
    // orientation tag), so the faces SSD missed or boxed poorly upright are searched that way up
    const turns = faces.filter(steady).map((f) => quarterOf(f.rollDeg)).filter((q) => q !== 0);
    // a face rolled q quarter turns clockwise is upright in the photo turned 4 − q more
    const most = mode(turns.map((q) => ((4 - q) % 4) as Turn));
    if (!most || turns.length * 2 < faces.length) return faces;
    const more = await this.turned(input, { x: 0, y: 0, width, height }, opts, minScore, [most]);
    // a face found steady that way up beats an unsteady reading of the same face upright
    const kept = faces.filter((f) => steady(f) || !more.some((g) => intersection(g.box, f.box) > 0));
    return suppress([...kept, ...more]);
  }

  /** faces with an upright layout in `area` of the photo turned by 90°, 270° or 180° (the turn with the surest face), in the photo's coordinates */
  private async turned(input: T3, area: Box, opts: AnalyzeOptions, minScore: number, turns: Turn[], side = 512): Promise<Face[]> {
    const part = crop(input as never, { x: Math.round(area.x), y: Math.round(area.y), width: Math.round(area.width), height: Math.round(area.height) }) as unknown as T3;
    const w = part.shape[1];
    const h = part.shape[0];
    try {
      // every turn is tried; the one with the most faces steady and upright there wins (then the surest)
      let best: { faces: Face[]; rank: number } = { faces: [], rank: 0 };
      for (const turn of turns) {
        const t = turnImage(part as never, turn) as unknown as T3;
        try {
          const more = await this.upright(t, turn % 2 ? h : w, turn % 2 ? w : h, turn, opts, minScore, side);
          const good = more.filter((f) => steady(f) && plausibleLayout(f.landmarks, f.box));
          const rank = good.length + Math.max(0, ...good.map((f) => f.score)) / 2;
          if (rank > best.rank) best = { faces: good.map((f) => markSteady(shift(unturnFace(f, turn, w, h), Math.round(area.x), Math.round(area.y)))), rank };
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
  /** `quick`: the turned retries search the whole image and its padded copy only, at this side (no fine pass, no tiny) */
  private async upright(img: T3, width: number, height: number, turn: Turn, opts: AnalyzeOptions, minScore: number, quick: number | false): Promise<Face[]> {
    // a detector named with fallback: the whole pipeline, which falls back on its own
    const found = await this.find(img, width, height, turn, opts.fallback ? 'auto' : (opts.detector ?? 'auto'), minScore, quick);
    return this.describe(img, found, opts);
  }

  private async find(img: T3, width: number, height: number, turn: Turn, detector: Detector | 'auto', minScore: number, quick: number | false): Promise<Found[]> {
    const at = (c: Candidate[], dx = 0, dy = 0): Found[] => c.map((f) => ({ box: { ...f.box, x: f.box.x + dx, y: f.box.y + dy }, score: f.score, turn }));
    if (detector === 'tiny') return at(await tinyPass(img, minScore));
    // first pass at face-api's 512 px: 448 and 384 were measured cheaper per pass but dearer per
    // photo (more single portraits then fall through to the fine pass)
    let cands = at(await ssdPass(img, minScore, quick || undefined));
    const long = Math.max(width, height);
    // one sure face that fills a fair share of the frame: a portrait, the fine pass is skipped
    const portrait = cands.length === 1 && cands[0]!.box.width >= PORTRAIT_SHARE * long && cands[0]!.score >= PORTRAIT_SCORE;
    if (long > FINE_ABOVE && !portrait && !quick) cands.push(...at(await ssdPass(img, minScore, Math.min(FINE_SIDE, long))));
    cands = suppress(cands);
    if (cands.length || detector === 'ssd') return cands;
    // a face that fills the frame: give the detector the border it expects around a face
    for (const share of quick ? PADS.slice(0, 1) : PADS) {
      const pad = Math.round(share * long);
      const padded = faceapi.tf.pad(img, [[pad, pad], [pad, pad], [0, 0]], 127) as T3;
      try {
        const back = (c: Candidate[]) => at(c, -pad, -pad).map((f) => ({ ...f, box: clip(f.box, width, height) }));
        cands = suppress(back(await ssdPass(padded, minScore, quick || undefined)));
        if (!cands.length && !quick && share === PADS.at(-1)) cands = suppress([...at(await tinyPass(img, minScore)), ...back(await tinyPass(padded, minScore))]);
      } finally {
        padded.dispose();
      }
      if (cands.length) break;
    }
    return cands;
  }

  private async describe(img: T3, found: Found[], opts: AnalyzeOptions): Promise<Face[]> {
    const faces: Face[] = [];
    for (const f of found) {
      const o = await orient(img as never, f.box, opts.rotations !== false);
      try {
        const landmarks = o.marks.positions.map((p) => o.toPhoto({ x: p.x, y: p.y }));
        // the expression and identity nets see the face the right way up, cut along its landmarks
        const aligned = o.marks.align();
        const alignedCrop = squareCrop(o.frame as never, aligned).tensor as unknown as T3;
        try {
          const expressions = await expressionsOf(alignedCrop, opts.mirrorExpressions !== false && (squareCrop(o.frame as never, aligned, true).tensor as unknown as T3));
          let descriptor: number[] | undefined;
          if (opts.descriptors) {
            // the recognition net is only needed for descriptors: loaded on first use
            await once('recognition', () => faceapi.nets.faceRecognitionNet.loadFromDisk(MODEL_DIR));
            descriptor = Array.from((await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(alignedCrop)) as Float32Array);
          }
          const face: Face = {
            box: f.box,
            score: round4(f.score),
            landmarks,
            rollDeg: rollFromLandmarks(landmarks),
            expressions,
            ...(descriptor ? { descriptor } : {}),
          };
          if (o.shift < (o.turn ? STABLE_BELOW : UPRIGHT_BELOW)) steadyFaces.add(face);
          faces.push(face);
        } finally {
          alignedCrop.dispose();
        }
      } finally {
        if (o.own) o.frame.dispose();
      }
    }
    return faces;
  }
}

/** faces whose landmarks followed the face when the crop moved (orientation.ts); the set never leaves the thread */
const steadyFaces = new WeakSet<Face>();
const steady = (f: Face) => steadyFaces.has(f);
const markSteady = (f: Face) => (steadyFaces.add(f), f);

/** the quarter turn nearest a roll in degrees (clockwise) */
export function quarterOf(rollDeg: number): Turn {
  return (((Math.round(rollDeg / 90) % 4) + 4) % 4) as Turn;
}

function mode<T>(xs: T[]): T | undefined {
  const n = new Map<T, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** SSD on the whole of `img` at face-api's 512 px (ssd.ts: same detections, about half the CPU) */
function ssdPass(img: T3, minScore: number, side?: number): Promise<Candidate[]> {
  return ssdFaces(img as never, minScore, side);
}

async function tinyPass(img: T3, minScore: number): Promise<Candidate[]> {
  const dets = await faceapi.nets.tinyFaceDetector.locateFaces(img as never, new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT, scoreThreshold: minScore }));
  return dets.map((d) => ({ box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }, score: d.score }));
}

function shift(f: Face, dx: number, dy: number): Face {
  if (!dx && !dy) return f;
  return { ...f, box: { ...f.box, x: f.box.x + dx, y: f.box.y + dy }, landmarks: f.landmarks.map((p) => ({ x: p.x + dx, y: p.y + dy })) };
}

function unturnFace(f: Face, turn: Turn, width: number, height: number): Face {
  const landmarks = f.landmarks.map((p) => unturn(p, turn, width, height));
  return { ...f, box: unturnBox(f.box, turn, width, height), landmarks, rollDeg: rollFromLandmarks(landmarks) };
}

/** the expression net on a face crop and on its mirror image (given: the caller's to make, this function disposes it), averaged (a face's expression has no side) */
async function expressionsOf(crop: T3, flipped: T3 | false): Promise<Record<Expression, number>> {
  const net = faceapi.nets.faceExpressionNet;
  if (!flipped) return probabilities([(await net.predictExpressions(crop)) as unknown as Record<string, number>]);
  try {
    // one batch of two: the same arithmetic, less per-call overhead than two calls
    return probabilities((await net.predictExpressions([crop, flipped] as never)) as unknown as Array<Record<string, number>>);
  } finally {
    flipped.dispose();
  }
}

const probabilities = (reads: Array<Record<string, number>>) =>
  Object.fromEntries(EXPRESSIONS.map((e) => [e, round4(reads.reduce((s, r) => s + (r[e] ?? 0), 0) / reads.length)])) as Record<Expression, number>;

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
