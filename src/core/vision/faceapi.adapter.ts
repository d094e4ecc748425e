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
  type Detector,
  type Expression,
  type Face,
  type FaceAnalysis,
  type FaceAnalyzer,
  type RgbImage,
} from './face-analyzer.js';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
export const MODEL_DIR = path.join(PACKAGE_DIR, 'model');
const WASM_DIR = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;

/** tiny detector input size: 416 keeps faces down to ~40 px at 640 px images */
const TINY_INPUT = 416;

type Detection = faceapi.WithFaceExpressions<
  faceapi.WithFaceLandmarks<{ detection: faceapi.FaceDetection }, faceapi.FaceLandmarks68>
> & { descriptor?: Float32Array };

export class FaceApiAnalyzer implements FaceAnalyzer {
  private loading?: Promise<{ loadMs: number; backend: string }>;

  ready(): Promise<{ loadMs: number; backend: string }> {
    this.loading ??= load();
    return this.loading;
  }

  async analyze(image: RgbImage, opts: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    await this.ready();
    const t0 = performance.now();
    const first: Detector = opts.detector ?? 'tiny';
    let dets = await this.detect(image, first, opts);
    if (dets.length === 0 && opts.fallback) dets = await this.detect(image, first === 'tiny' ? 'ssd' : 'tiny', opts);
    const faces = sortLeftToRight(dets.map(toFace)).slice(0, opts.maxFaces ?? 20);
    return { width: image.width, height: image.height, faces, ms: performance.now() - t0 };
  }

  async close(): Promise<void> {
    // the WASM module lives as long as the thread; nothing to release per analyzer
  }

  private async detect(image: RgbImage, detector: Detector, opts: AnalyzeOptions): Promise<Detection[]> {
    const minScore = opts.minScore ?? 0.5;
    const options =
      detector === 'ssd'
        ? new faceapi.SsdMobilenetv1Options({ minConfidence: minScore, maxResults: opts.maxFaces ?? 20 })
        : new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT, scoreThreshold: minScore });
    // SSD (5 MB of weights, a larger WASM heap) loads on first use: most photos never need it
    if (detector === 'ssd') await once('ssd', () => faceapi.nets.ssdMobilenetv1.loadFromDisk(MODEL_DIR));
    const tensor = faceapi.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    try {
      const task = faceapi.detectAllFaces(tensor as never, options).withFaceLandmarks().withFaceExpressions();
      if (opts.descriptors) {
        // the recognition net is only needed for descriptors: loaded on first use
        await once('recognition', () => faceapi.nets.faceRecognitionNet.loadFromDisk(MODEL_DIR));
        return (await task.withFaceDescriptors()) as Detection[];
      }
      return (await task) as Detection[];
    } finally {
      tensor.dispose();
    }
  }
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
    await faceapi.nets.tinyFaceDetector.loadFromDisk(MODEL_DIR);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(MODEL_DIR);
    await faceapi.nets.faceExpressionNet.loadFromDisk(MODEL_DIR);
  } catch (err) {
    throw new VisionUnavailableError(`face models could not be loaded from ${MODEL_DIR}: ${(err as Error).message}`);
  }
  return { loadMs: performance.now() - t0, backend: tf.getBackend() };
}

function toFace(d: Detection): Face {
  const b = d.detection.box;
  const landmarks = d.landmarks.positions.map((p) => ({ x: p.x, y: p.y }));
  const expressions = Object.fromEntries(
    EXPRESSIONS.map((e) => [e, round4((d.expressions as unknown as Record<string, number>)[e] ?? 0)]),
  ) as Record<Expression, number>;
  return {
    box: { x: b.x, y: b.y, width: b.width, height: b.height },
    score: round4(d.detection.score),
    landmarks,
    rollDeg: rollFromLandmarks(landmarks),
    expressions,
    ...(d.descriptor ? { descriptor: Array.from(d.descriptor) } : {}),
  };
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
