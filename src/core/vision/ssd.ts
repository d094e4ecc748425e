// face-api's SSD MobileNet v1 face detector, run here on its own weights with two changes that
// make it ~2× cheaper without changing what it sees (measured, docs/architecture.md § vision):
// - the batch norms of the depthwise layers are folded into the filters, and every layer is one
//   fused conv + bias + relu6 kernel (face-api runs conv, batchNorm, add and clip separately);
// - the photo is not padded to a 512 × 512 square: it is scaled so its longer side is 512 px (as
//   face-api scales it) and padded only to a multiple of 32, and the anchor boxes are laid on the
//   grid of that size. The network is convolutional and its anchors have fixed pixel sizes, so a
//   face gives the same features either way; a 4:3 photo costs 3/4 of the square.
// Anchors come from the model's own anchor tensor (Output/extra_dim, laid out for 512 × 512):
// its per-layer anchor sizes are reused, its centres re-laid on the actual grids.
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type { Candidate } from './detection.js';

type T3 = tf.Tensor3D;
type T4 = tf.Tensor4D;
type Conv = { filters: T4; bias: tf.Tensor1D };

/** side the model was trained at: the anchor tensor's sizes are fractions of it */
const TRAINED = 512;
/** anchors per cell on the six prediction layers (grids 32, 16, 8, 4, 2, 1 at 512 px) */
const PER_CELL = [3, 6, 6, 6, 6, 6];
const GRIDS_AT_512 = [32, 16, 8, 4, 2, 1];
const BN_EPSILON = 0.0010000000474974513;
/** small images are enlarged to this side at least (faces under SSD's smallest anchor, 51 px, are found enlarged) */
const MIN_SIDE = 320;
/** face-api's own NMS overlap for SSD */
const NMS_IOU = 0.5;

interface Folded {
  conv0: Conv;
  pairs: Array<{ dw: Conv; pw: Conv; stride: 1 | 2 }>;
  extra: Conv[];
  predictors: Array<{ box: Conv; cls: Conv }>;
  /** per layer, per anchor: [height, width] in pixels of a 512-px input */
  anchorSizes: Array<Array<[number, number]>>;
}

let folded: Folded | undefined;

/* eslint-disable @typescript-eslint/no-explicit-any -- face-api's params are untyped in its node bundle */
function fold(): Folded {
  const p = (faceapi.nets.ssdMobilenetv1 as any).params;
  if (!p) throw new Error('SSD weights are not loaded');
  {
    const pw = (c: any): Conv => ({ filters: c.filters, bias: c.batch_norm_offset });
    const dw = (c: any): Conv =>
      tf.tidy(() => {
        const scale = tf.div(c.batch_norm_scale, tf.sqrt(tf.add(c.batch_norm_variance, BN_EPSILON))) as tf.Tensor1D;
        const filters = tf.mul(c.filters, tf.reshape(scale, [1, 1, -1, 1])) as T4;
        const bias = tf.sub(c.batch_norm_offset, tf.mul(c.batch_norm_mean, scale)) as tf.Tensor1D;
        return { filters, bias };
      });
    const m = p.mobilenetv1;
    const pairs = Array.from({ length: 13 }, (_, i) => {
      const c = m[`conv_${i + 1}`];
      return { dw: dw(c.depthwise_conv), pw: pw(c.pointwise_conv), stride: ([2, 4, 6, 12].includes(i + 1) ? 2 : 1) as 1 | 2 };
    });
    const extra = Array.from({ length: 8 }, (_, i) => pw(p.prediction_layer[`conv_${i}`]));
    const predictors = Array.from({ length: 6 }, (_, i) => {
      const b = p.prediction_layer[`box_predictor_${i}`];
      return { box: b.box_encoding_predictor, cls: b.class_predictor };
    });
    const anchors = (p.output_layer.extra_dim as tf.Tensor3D).arraySync()[0]!;
    const anchorSizes: Array<Array<[number, number]>> = [];
    let at = 0;
    for (let l = 0; l < 6; l++) {
      anchorSizes.push(anchors.slice(at, at + PER_CELL[l]!).map((a) => [(a[2]! - a[0]!) * TRAINED, (a[3]! - a[1]!) * TRAINED]));
      at += PER_CELL[l]! * GRIDS_AT_512[l]! ** 2;
    }
    return { conv0: pw(m.conv_0), pairs, extra, predictors, anchorSizes };
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const relu6 = (x: T4, c: Conv, stride: 1 | 2) => tf.fused.conv2d({ x, filter: c.filters, strides: stride, pad: 'same', bias: c.bias, activation: 'relu6' });

/** the network on a normalised [1, H, W, 3] input (H, W multiples of 32): per layer, box encodings, face logits and grid */
function forward(x: T4, f: Folded): Array<{ box: tf.Tensor2D; cls: tf.Tensor2D; rows: number; cols: number }> {
  let out = relu6(x, f.conv0, 2);
  let conv11: T4 | undefined;
  f.pairs.forEach((pair, i) => {
    out = tf.fused.depthwiseConv2d({ x: out, filter: pair.dw.filters, strides: pair.stride, pad: 'same', bias: pair.dw.bias, activation: 'relu6' });
    out = relu6(out, pair.pw, 1);
    if (i + 1 === 11) conv11 = out;
  });
  const maps: T4[] = [conv11!, out];
  let e = out;
  for (let i = 0; i < 8; i++) {
    e = relu6(e, f.extra[i]!, i % 2 ? 2 : 1);
    if (i % 2) maps.push(e);
  }
  return maps.map((m, l) => {
    const pred = f.predictors[l]!;
    const box = tf.fused.conv2d({ x: m, filter: pred.box.filters, strides: 1, pad: 'same', bias: pred.box.bias });
    const cls = tf.fused.conv2d({ x: m, filter: pred.cls.filters, strides: 1, pad: 'same', bias: pred.cls.bias });
    return { box: tf.reshape(box, [-1, 4]), cls: tf.reshape(cls, [-1, 3]), rows: m.shape[1], cols: m.shape[2] };
  });
}

/**
 * Faces in `img` (int32 RGB, any size), in its pixels: the image scaled so its longer side is
 * `side` px, padded to a multiple of 32, one pass, NMS at IoU 0.5.
 */
export async function ssdFaces(img: T3, minScore: number, side?: number, maxResults = 200): Promise<Candidate[]> {
  folded ??= fold();
  const f = folded;
  const [h, w] = img.shape;
  // by default: face-api's 512 px, but a smaller image is not enlarged beyond MIN_SIDE (its faces
  // are large in it already; CPU grows with the square of the side)
  side ??= Math.min(TRAINED, Math.max(MIN_SIDE, Math.max(h, w)));
  const k = side / Math.max(h, w);
  const rh = Math.max(1, Math.round(h * k));
  const rw = Math.max(1, Math.round(w * k));
  const ph = Math.ceil(rh / 32) * 32;
  const pw = Math.ceil(rw / 32) * 32;
  const layers = tf.tidy(() => {
    const resized = tf.image.resizeBilinear(tf.cast(tf.expandDims(img, 0), 'float32') as T4, [rh, rw]);
    // black border, as face-api pads (0 → −1 after normalising)
    const x = tf.pad(tf.sub(tf.div(resized, 127.5), 1), [[0, 0], [0, ph - rh], [0, pw - rw], [0, 0]], -1) as T4;
    return forward(x, f).map((l) => ({ ...l, box: l.box, score: tf.sigmoid(tf.slice(l.cls, [0, 1], [-1, 1])) }));
  });
  const found: Candidate[] = [];
  try {
    for (let l = 0; l < layers.length; l++) {
      const { rows, cols } = layers[l]!;
      const [scores, enc] = await Promise.all([layers[l]!.score.data(), layers[l]!.box.data()]);
      const sizes = f.anchorSizes[l]!;
      const n = sizes.length;
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i]!;
        if (s <= minScore) continue;
        const cell = Math.floor(i / n);
        const [ah, aw] = sizes[i % n]!;
        const cy = ((Math.floor(cell / cols) + 0.5) / rows) * ph;
        const cx = (((cell % cols) + 0.5) / cols) * pw;
        const yc = (enc[4 * i]! / 10) * ah + cy;
        const xc = (enc[4 * i + 1]! / 10) * aw + cx;
        const bh = Math.exp(enc[4 * i + 2]! / 5) * ah;
        const bw = Math.exp(enc[4 * i + 3]! / 5) * aw;
        const top = Math.max(0, yc - bh / 2);
        const left = Math.max(0, xc - bw / 2);
        const bottom = Math.min(rh, yc + bh / 2);
        const right = Math.min(rw, xc + bw / 2);
        if (bottom <= top || right <= left) continue;
        found.push({ box: { x: left / k, y: top / k, width: (right - left) / k, height: (bottom - top) / k }, score: s });
      }
    }
  } finally {
    for (const l of layers) {
      l.box.dispose();
      l.cls.dispose();
      l.score.dispose();
    }
  }
  return nms(found, maxResults);
}

function nms(cands: Candidate[], max: number): Candidate[] {
  const sorted = [...cands].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    if (kept.length >= max) break;
    if (kept.every((k) => overlap(k, c) <= NMS_IOU)) kept.push(c);
  }
  return kept;
}

function overlap(a: Candidate, b: Candidate): number {
  const w = Math.min(a.box.x + a.box.width, b.box.x + b.box.width) - Math.max(a.box.x, b.box.x);
  const h = Math.min(a.box.y + a.box.height, b.box.y + b.box.height) - Math.max(a.box.y, b.box.y);
  if (w <= 0 || h <= 0) return 0;
  const i = w * h;
  return i / (a.box.width * a.box.height + b.box.width * b.box.height - i);
}
