// crop.ts must cut exactly what face-api cut before (its extractFaceTensors, then its nets'
// centred padding to a square): the face nets then see the same input, so landmarks and
// expressions do not move. Checked value for value against face-api's own functions.
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { crop, imageTensor, squareCrop } from './crop.js';

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
