// Cutting a face out of an image tensor without tfjs' WASM slice. That kernel copies the whole
// source image out of WASM memory for every slice and then copies the crop one pixel at a time
// (a JS subarray per pixel): ~23 ms for a 400 × 500 px face in a 1280 px photo, three times per
// face. Here the rows are copied from the image's pixels kept in JS (the decoded photo's own
// buffer, or one read of a smaller tensor), a row at a time: under 1 ms.
//
// The crops are exactly face-api's: the box clipped at the image borders and floored as
// extractFaceTensors does, and for the nets padded with zeros to a centred square as their
// NetInput pads (padToSquare), so the nets see the same 112 px input as before and skip their
// own padding (a cast and a concat, ~3 ms a read).
import * as tf from '@tensorflow/tfjs';
import type { Box } from './face-analyzer.js';

type T3 = tf.Tensor3D;
type Pixels = Uint8Array | Int32Array;

/** the HWC pixels of tensors whose values are known in JS (the decoded photo, crops made here) */
const known = new WeakMap<T3, Pixels>();

/** an int32 RGB tensor of `data` (height × width × 3), whose pixels crops are then cut from without reading WASM memory */
export function imageTensor(data: Uint8Array, width: number, height: number): T3 {
  const t = tf.tensor3d(data, [height, width, 3], 'int32');
  known.set(t, data);
  return t;
}

function pixelsOf(img: T3): Pixels {
  let p = known.get(img);
  if (!p) {
    // a tensor made by tf ops (a turned copy): read once, then every crop of it is cut in JS
    p = img.dataSync() as Int32Array;
    known.set(img, p);
  }
  return p;
}

/** `box` clipped at the image borders and floored, as face-api's extractFaceTensors cuts it (at least 1 px) */
export function clipFloor(box: Box, width: number, height: number): { x: number; y: number; width: number; height: number } {
  const x = Math.max(box.x, 0);
  const y = Math.max(box.y, 0);
  const w = Math.min(box.x + box.width - x, width - x);
  const h = Math.min(box.y + box.height - y, height - y);
  const fx = Math.min(Math.floor(x), width - 1);
  const fy = Math.min(Math.floor(y), height - 1);
  return { x: fx, y: fy, width: Math.max(1, Math.min(Math.floor(w), width - fx)), height: Math.max(1, Math.min(Math.floor(h), height - fy)) };
}

/**
 * The pixels of `box` in a side × side zero canvas at (left, top): rows copied whole. With side
 * equal to the crop, the crop itself.
 */
function cut(img: T3, box: Box, square: boolean, mirrored = false): { tensor: T3; x: number; y: number; width: number; height: number; left: number; top: number } {
  const [H, W] = img.shape;
  const c = clipFloor(box, W, H);
  const src = pixelsOf(img);
  const diff = Math.abs(c.width - c.height);
  // padToSquare (isCenterImage): round(diff / 2) appended after, the rest before
  const before = square ? diff - Math.round(diff * 0.5) : 0;
  const outW = square ? Math.max(c.width, c.height) : c.width;
  const outH = square ? outW : c.height;
  const left = c.width < c.height ? before : 0;
  const top = c.height < c.width ? before : 0;
  const out = new Int32Array(outW * outH * 3);
  const row = c.width * 3;
  for (let r = 0; r < c.height; r++) {
    const from = ((c.y + r) * W + c.x) * 3;
    const to = ((top + r) * outW + left) * 3;
    if (!mirrored) out.set(src.subarray(from, from + row), to);
    else
      for (let i = 0; i < row; i += 3) {
        const j = to + row - 3 - i;
        out[j] = src[from + i]!;
        out[j + 1] = src[from + i + 1]!;
        out[j + 2] = src[from + i + 2]!;
      }
  }
  const tensor = tf.tensor3d(out, [outH, outW, 3], 'int32');
  known.set(tensor, out);
  return { tensor, ...c, left, top };
}

/** the pixels of `box` (clipped, floored) as an int32 tensor the caller disposes: what tf.slice gives, cut without it */
export function crop(img: T3, box: Box): T3 {
  return cut(img, box, false).tensor;
}

export interface SquareCrop {
  /** the crop padded with zeros to a centred square, as face-api's nets pad their input */
  tensor: T3;
  /** the crop (clipped, floored) in the image's pixels */
  x: number;
  y: number;
  width: number;
  height: number;
  /**
   * where face-api places the crop in the square when it maps a net's points back: half the
   * difference of the sides (the padding itself puts the odd pixel after)
   */
  offsetX: number;
  offsetY: number;
}

/**
 * The face crop face-api would cut for `box`, already padded to the square its nets pad it to;
 * `mirrored`: the crop flipped left to right, then padded (what tf.reverse of the crop gave the net)
 */
export function squareCrop(img: T3, box: Box, mirrored = false): SquareCrop {
  const c = cut(img, box, true, mirrored);
  const half = Math.abs(c.width - c.height) / 2;
  return { tensor: c.tensor, x: c.x, y: c.y, width: c.width, height: c.height, offsetX: c.width < c.height ? half : 0, offsetY: c.height < c.width ? half : 0 };
}

/**
 * Weights of the source pixels (along one axis) that make each of `n` output pixels of a window
 * starting at `start`, `step` source pixels per output pixel, counting only source pixels in
 * [lo, hi): the overlap of each pixel with the output pixel's footprint (area averaging) when
 * shrinking, linear interpolation between pixel centres when enlarging. Outside [lo, hi) is black.
 */
function axisWeights(start: number, step: number, n: number, lo: number, hi: number): Array<Array<[number, number]>> {
  return Array.from({ length: n }, (_, j) => {
    const taps: Array<[number, number]> = [];
    if (step >= 1) {
      const a = Math.max(start + j * step, lo);
      const b = Math.min(start + (j + 1) * step, hi);
      for (let c = Math.floor(a); c < b; c++) {
        const w = Math.min(b, c + 1) - Math.max(a, c);
        if (w > 0) taps.push([c, w / step]);
      }
    } else {
      // the output pixel's centre, between the centres of two source pixels (clamped at the edges)
      const x = start + (j + 0.5) * step - 0.5;
      if (x >= lo - 0.5 && x <= hi - 0.5) {
        const first = Math.floor(lo);
        const last = Math.ceil(hi) - 1;
        const at = (c: number) => Math.min(last, Math.max(first, c));
        const c = Math.floor(x);
        taps.push([at(c), 1 - (x - c)], [at(c + 1), x - c]);
      }
    }
    return taps;
  });
}

export interface NetCrop {
  /** side × side float32 RGB: the box centred in a black square, averaged down (not sampled) to the net's input size */
  tensor: T3;
  /** the square's top-left corner and side in the image's pixels: a point (u, v) of the input in [0, 1] is at (x + u·size, y + v·size) */
  x: number;
  y: number;
  size: number;
}

/**
 * The face crop for a net whose input is side × side, made here instead of by the net: `box` (not
 * rounded: every fraction of a pixel counts) centred in a black square, as face-api pads it, and
 * each input pixel the mean of the photo's pixels under it. face-api resizes its crop with
 * bilinear sampling, which reads 4 of the ~16 pixels under each input pixel of a 400 px face: the
 * input then changes with every JPEG re-encode and every pixel the box moves. Averaged, it does not.
 */
export function netCrop(img: T3, box: Box, side: number): NetCrop {
  const [H, W] = img.shape;
  const src = pixelsOf(img);
  const size = Math.max(box.width, box.height);
  const x = box.x - (size - box.width) / 2;
  const y = box.y - (size - box.height) / 2;
  const step = size / side;
  const cols = axisWeights(x, step, side, Math.max(0, box.x), Math.min(W, box.x + box.width));
  const rows = axisWeights(y, step, side, Math.max(0, box.y), Math.min(H, box.y + box.height));
  // each source row is averaged across once, then added to the output rows it falls under
  const under = new Map<number, Array<[number, number]>>();
  rows.forEach((taps, i) => taps.forEach(([r, w]) => under.set(r, [...(under.get(r) ?? []), [i, w]])));
  const out = new Float32Array(side * side * 3);
  const line = new Float32Array(side * 3);
  for (const [r, targets] of under) {
    const base = r * W * 3;
    for (let j = 0; j < side; j++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (const [c, wc] of cols[j]!) {
        const p = base + c * 3;
        s0 += wc * src[p]!;
        s1 += wc * src[p + 1]!;
        s2 += wc * src[p + 2]!;
      }
      line[j * 3] = s0;
      line[j * 3 + 1] = s1;
      line[j * 3 + 2] = s2;
    }
    for (const [i, wr] of targets) {
      const o = i * side * 3;
      for (let k = 0; k < side * 3; k++) out[o + k]! += wr * line[k]!;
    }
  }
  return { tensor: tf.tensor3d(out, [side, side, 3], 'float32'), x, y, size };
}
