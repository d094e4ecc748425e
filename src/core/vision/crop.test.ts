// crop.ts must cut exactly what face-api cut before (its extractFaceTensors, then its nets'
// centred padding to a square): the face nets then see the same input, so landmarks and
// expressions do not move. Checked value for value against face-api's own functions.
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { crop, imageTensor, netCrop, squareCrop } from './crop.js';

const W = 53;
const H = 37;
const data = Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 97 + 13) % 251);

/** boxes inside, fractional, across each border, wider and taller than square, one pixel, odd and even side differences */
const boxes = [
  { x: 3, y: 4, width: 20, height: 10 },
  { x: 2.6, y: 1.4, width: 17.7, height: 25.2 },
  { x: -4.5, y: -3.2, width: 14.1, height: 11.9 },
  { x: 40.2, y: 20.7, width: 30, height: 30 },
  { x: 10, y: 5, width: 11, height: 20 },
  { x: 10, y: 5, width: 20, height: 11 },
  { x: 52, y: 36, width: 1, height: 1 },
];

const values = (t: { arraySync(): unknown }) => t.arraySync();

// the CPU backend: the same kernels' arithmetic is not what is checked here, the pixels are
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('face crops without tf.slice', () => {
  for (const source of ['the decoded photo (pixels known in JS)', 'a tensor made by tf ops (read once)'] as const) {
    it(`${source}: the crop is face-api's extractFaceTensors crop, and the square is its padToSquare, mirrored too`, async () => {
      const img = source.startsWith('the decoded') ? imageTensor(data, W, H) : tf.add<tf.Tensor3D>(tf.tensor3d(data, [H, W, 3], 'int32'), 0);
      for (const b of boxes) {
        const [w] = await faceapi.extractFaceTensors(img as never, [new faceapi.Rect(b.x, b.y, b.width, b.height)]);
        const want = w as unknown as tf.Tensor3D;
        const got = crop(img, b);
        expect(got.shape, JSON.stringify(b)).toEqual(want.shape);
        expect(values(got), JSON.stringify(b)).toEqual(values(want));
        const sq = squareCrop(img, b);
        const wantSq = faceapi.padToSquare(tf.expandDims(want) as never, true) as unknown as tf.Tensor4D;
        expect(values(tf.expandDims(sq.tensor)), `square ${JSON.stringify(b)}`).toEqual(values(wantSq));
        const mirror = squareCrop(img, b, true);
        const wantMirror = faceapi.padToSquare(tf.expandDims(tf.reverse(want, 1)) as never, true) as unknown as tf.Tensor4D;
        expect(values(tf.expandDims(mirror.tensor)), `mirror ${JSON.stringify(b)}`).toEqual(values(wantMirror));
        // where face-api puts the crop when it maps points back: half the side difference
        expect([sq.width, sq.height]).toEqual([want.shape[1], want.shape[0]]);
        expect(sq.offsetX + sq.offsetY).toBe(Math.abs(sq.width - sq.height) / 2);
        for (const t of [want, got, sq.tensor, mirror.tensor, wantSq, wantMirror]) t.dispose();
      }
      img.dispose();
    });
  }
});

describe('the landmark net input averaged down (netCrop)', () => {
  it('averages the pixels under each input pixel, pads with black outside the box, and follows a mirrored box mirrored', () => {
    // 2 × 2 blocks averaged exactly: a box on pixel edges twice the input side
    const img = imageTensor(data, W, H);
    const box = { x: 4, y: 3, width: 16, height: 16 };
    const c = netCrop(img, box, 8);
    expect([c.x, c.y, c.size]).toEqual([4, 3, 16]);
    const got = c.tensor.arraySync() as number[][][];
    const px = (x: number, y: number, k: number) => data[(y * W + x) * 3 + k]!;
    for (const [i, j] of [[0, 0], [3, 5], [7, 7]] as const) {
      for (const k of [0, 1, 2]) {
        const want = (px(4 + 2 * j, 3 + 2 * i, k) + px(5 + 2 * j, 3 + 2 * i, k) + px(4 + 2 * j, 4 + 2 * i, k) + px(5 + 2 * j, 4 + 2 * i, k)) / 4;
        expect(got[i]![j]![k]).toBeCloseTo(want, 3);
      }
    }
    // a box taller than wide is centred in a black square (face-api pads its crops so)
    const tall = netCrop(img, { x: 10, y: 2, width: 10, height: 20 }, 10).tensor.arraySync() as number[][][];
    expect(tall[5]![0]).toEqual([0, 0, 0]);
    expect(tall[5]![9]).toEqual([0, 0, 0]);
    expect(tall[5]![5]!.some((v) => v > 0)).toBe(true);
    // the mirrored photo cut at the mirrored (fractional) box gives the mirrored input
    const flipped = new Uint8Array(data.length);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let k = 0; k < 3; k++) flipped[(y * W + (W - 1 - x)) * 3 + k] = data[(y * W + x) * 3 + k]!;
    const mimg = imageTensor(flipped, W, H);
    for (const b of [{ x: 3.3, y: 2.7, width: 21.4, height: 27.9 }, { x: -2.5, y: 4.1, width: 9.3, height: 7.2 }]) {
      const a = netCrop(img, b, 12);
      const m = netCrop(mimg, { ...b, x: W - b.x - b.width }, 12);
      const av = a.tensor.arraySync() as number[][][];
      const mv = m.tensor.arraySync() as number[][][];
      for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) for (let k = 0; k < 3; k++) expect(mv[i]![11 - j]![k]).toBeCloseTo(av[i]![j]![k]!, 3);
      a.tensor.dispose();
      m.tensor.dispose();
    }
    c.tensor.dispose();
    img.dispose();
    mimg.dispose();
  });
});
