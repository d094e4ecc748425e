// ssd.ts runs face-api's SSD weights its own way (folded batch norms, fused kernels, no square
// padding): it must find what face-api's own locateFaces finds, box for box. On face-api's demo
// photos (read in place), at the size the apps analyse them.
import sharp from 'sharp';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoPhoto } from '../../../test/fixtures/images.js';
import { iou } from './detection.js';
import { FaceApiAnalyzer } from './faceapi.adapter.js';
import { ssdFaces } from './ssd.js';

beforeAll(() => new FaceApiAnalyzer().ready(), 120_000);

describe.skipIf(!demoPhoto(1))("ssd.ts against face-api's own SSD", () => {
  it.each([1, 3, 4])('demo sample%i at 1280 px: the same faces, boxes and scores', async (n) => {
    const { data, info } = await sharp(demoPhoto(n)!).resize(1280, 1280, { fit: 'inside' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const img = faceapi.tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
    try {
      const theirs = await faceapi.nets.ssdMobilenetv1.locateFaces(img as never, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.4, maxResults: 200 }));
      const ours = await ssdFaces(img as never, 0.4, 512);
      expect(theirs.length).toBeGreaterThanOrEqual(2);
      expect(ours).toHaveLength(theirs.length);
      for (const t of theirs) {
        const box = { x: t.box.x, y: t.box.y, width: t.box.width, height: t.box.height };
        const match = ours.reduce((a, b) => (iou(b.box, box) > iou(a.box, box) ? b : a));
        expect(iou(match.box, box)).toBeGreaterThan(0.9);
        expect(Math.abs(match.score - t.score)).toBeLessThan(0.03);
      }
    } finally {
      img.dispose();
    }
  }, 60_000);
});
