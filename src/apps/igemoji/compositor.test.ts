// Golden-image tests of the compositor on synthetic layouts: what changes is inside the faces,
// what stays is everything else (within JPEG tolerance), edges clip, rotation follows the eyes.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { blendInto, compositeFaces, planOverlay, renderOverlay, type RawImage } from './compositor.js';
import { classify, CONFIDENT_AT } from './expressions.js';
import { applyEllipseMask, normalizePicture, renderTwemoji } from './pictures.js';
import { syntheticFace } from '../../../test/fixtures/igemoji/layout.js';

/** a textured photo (gradients and stripes), so a change anywhere shows */
async function photo(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = (Math.floor(x / 16) + Math.floor(y / 16)) % 2 ? 200 : 60;
    }
  return sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

async function raw(jpeg: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function diffIn(a: Buffer, b: Buffer, width: number, inside: (x: number, y: number) => boolean, height: number) {
  let sum = 0;
  let n = 0;
  let max = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (!inside(x, y)) continue;
      const i = (y * width + x) * 3;
      const d = (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!)) / 3;
      sum += d;
      max = Math.max(max, d);
      n++;
    }
  return { mean: n ? sum / n : 0, max, n };
}

describe('compositor', () => {
  it('changes the pixels inside each face box and leaves the rest as it was (JPEG tolerance)', async () => {
    const src = await photo(480, 320);
    const faces = [syntheticFace(110, 140, 80), syntheticFace(250, 170, 90, 12), syntheticFace(390, 120, 70, -20)];
    const happy = await renderTwemoji('1f604');
    const out = await compositeFaces({ photo: src, analysedWidth: 480, faces: faces.map((geometry) => ({ geometry, picture: happy })) });
    expect(out).toMatchObject({ width: 480, height: 320 });
    expect((await sharp(out.jpeg).metadata()).format).toBe('jpeg');
    const [before, after] = [await raw(src), await raw(out.jpeg)];
    for (const f of faces) {
      const b = f.box;
      const inBox = (x: number, y: number) => x >= b.x + b.width * 0.2 && x < b.x + b.width * 0.8 && y >= b.y + b.height * 0.2 && y < b.y + b.height * 0.8;
      expect(diffIn(before.data, after.data, 480, inBox, 320).mean).toBeGreaterThan(40);
    }
    // outside every overlay square (plus one 8-px JPEG block of margin) nothing moved
    const outside = (x: number, y: number) =>
      out.placements.every((p) => Math.abs(x - p.cx) > p.size * 0.75 + 8 || Math.abs(y - p.cy) > p.size * 0.75 + 8);
    const rest = diffIn(before.data, after.data, 480, outside, 320);
    // the tolerance is what a plain re-encode of the same photo costs, measured, plus a little
    const reencoded = await raw(await compositeFaces({ photo: src, analysedWidth: 480, faces: [] }).then((o) => o.jpeg));
    const jpegCost = diffIn(before.data, reencoded.data, 480, outside, 320);
    expect(rest.n).toBeGreaterThan(480 * 320 * 0.3);
    expect(rest.mean).toBeLessThan(jpegCost.mean + 0.5);
    expect(rest.max).toBeLessThanOrEqual(jpegCost.max + 8);
  });

  it('clips a face at the image edge without an error', async () => {
    const src = await photo(200, 150);
    const edge = [syntheticFace(5, 10, 90), syntheticFace(195, 145, 90, 30)];
    const picture = await renderTwemoji('1f622');
    const out = await compositeFaces({ photo: src, analysedWidth: 200, faces: edge.map((geometry) => ({ geometry, picture })) });
    expect(out).toMatchObject({ width: 200, height: 150 });
    const [before, after] = [await raw(src), await raw(out.jpeg)];
    expect(diffIn(before.data, after.data, 200, (x, y) => x < 30 && y < 30, 150).mean).toBeGreaterThan(30);
    expect(diffIn(before.data, after.data, 200, (x, y) => x > 175 && y > 125, 150).mean).toBeGreaterThan(30);
  });

  it('scales geometry measured on a smaller copy up to the output', async () => {
    const src = await photo(800, 400);
    const picture = await renderTwemoji('1f610');
    const out = await compositeFaces({ photo: src, analysedWidth: 400, faces: [{ geometry: syntheticFace(100, 100, 60), picture }] });
    expect(out.placements[0]).toMatchObject({ size: Math.round(60 * 1.35 * 2) });
    expect(out.placements[0]!.cx).toBeCloseTo(200, 0);
  });

  it('rotates the picture to the eye line and centres it between the eyes and the mouth', async () => {
    const face = syntheticFace(100, 100, 100, 30);
    const p = planOverlay(face);
    expect(p.angleDeg).toBeCloseTo(30, 5);
    // eyes 0.15 s above the centre, mouth 0.25 s below: the midpoint sits 0.05 s down the face's own axis
    expect(p.cx).toBeCloseTo(100 - 0.05 * 100 * Math.sin(Math.PI / 6), 1);
    expect(p.cy).toBeCloseTo(100 + 0.05 * 100 * Math.cos(Math.PI / 6), 1);
    // a horizontal red bar, rotated with the face: red along the 30° line, untouched along 0°
    const bar = await sharp({ create: { width: 200, height: 30, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } } }).png().toBuffer();
    const base: RawImage = { data: new Uint8Array(200 * 200 * 3).fill(255), width: 200, height: 200, channels: 3 };
    const o = await renderOverlay(bar, { ...p, cx: 100, cy: 100 });
    blendInto(base, o.overlay, o.left, o.top);
    const px = (x: number, y: number) => Array.from(base.data.subarray((y * 200 + x) * 3, (y * 200 + x) * 3 + 3));
    const along = (d: number) => px(Math.round(100 + d * Math.cos(Math.PI / 6)), Math.round(100 + d * Math.sin(Math.PI / 6)));
    expect(along(50)).toEqual([255, 0, 0]);
    expect(along(-50)).toEqual([255, 0, 0]);
    expect(px(150, 100)).toEqual([255, 255, 255]);
    expect(px(50, 100)).toEqual([255, 255, 255]);
  });

  it('keeps the aspect ratio of a non-square picture', async () => {
    const tall = await sharp({ create: { width: 100, height: 200, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 1 } } }).png().toBuffer();
    const o = await renderOverlay(tall, { cx: 50, cy: 50, size: 120, angleDeg: 0 });
    expect([o.overlay.width, o.overlay.height]).toEqual([60, 120]);
  });

  it('alpha-blends partially transparent pixels', () => {
    const base: RawImage = { data: new Uint8Array([100, 100, 100, 100, 100, 100]), width: 2, height: 1, channels: 3 };
    const overlay: RawImage = { data: new Uint8Array([200, 0, 0, 128, 0, 0, 0, 0]), width: 2, height: 1, channels: 4 };
    expect(blendInto(base, overlay, 0, 0)).toBe(1);
    expect(Array.from(base.data)).toEqual([150, 50, 50, 100, 100, 100]);
    expect(blendInto(base, overlay, 5, 5)).toBe(0);
  });
});

describe('template pictures', () => {
  it('masks an opaque picture with a soft ellipse and keeps drawn alpha as it is', async () => {
    const opaque = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#33aa55' } }).jpeg().toBuffer();
    const m = await normalizePicture(opaque);
    expect(m.masked).toBe(true);
    const { data, info } = await sharp(m.png).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0);
    expect(data[(100 * 300 + 150) * 4 + 3]).toBe(255);
    const drawn = await renderTwemoji('1f620');
    const kept = await normalizePicture(drawn);
    expect(kept.masked).toBe(false);
    expect((await sharp(kept.png).raw().toBuffer())[3]).toBe(0);
  });

  it('feathers the mask edge', () => {
    const rgba = new Uint8Array(100 * 100 * 4).fill(255);
    applyEllipseMask(rgba, 100, 100);
    const alphaAt = (x: number) => rgba[(50 * 100 + x) * 4 + 3]!;
    expect(alphaAt(50)).toBe(255);
    expect(alphaAt(97)).toBeGreaterThan(0);
    expect(alphaAt(97)).toBeLessThan(255);
  });
});

describe('expression classes', () => {
  it("maps face-api's labels onto the 7 template classes by arg-max", () => {
    expect(classify({ fearful: 0.7, neutral: 0.3 })).toMatchObject({ emotion: 'fear', index: 3 });
    expect(classify({ disgusted: 0.5, happy: 0.2 })).toMatchObject({ emotion: 'disgust', index: 2 });
    expect(classify({ surprised: 0.9 })).toMatchObject({ emotion: 'surprise', index: 6 });
    expect(classify({ happy: 0.4, sad: 0.4 })).toMatchObject({ emotion: 'happy', index: 4 });
    expect(classify({}).emotion).toBe('neutral');
  });

  it('below the confidence threshold a face counts as neutral, its scores kept', () => {
    const unsure = { happy: 0.48, sad: 0.4, neutral: 0.12 };
    expect(classify(unsure, CONFIDENT_AT)).toMatchObject({ emotion: 'neutral', index: 0, confident: false, scores: { happy: 0.48, sad: 0.4 } });
    expect(classify({ happy: 0.9, neutral: 0.1 }, CONFIDENT_AT)).toMatchObject({ emotion: 'happy', confident: true });
    expect(classify(unsure)).toMatchObject({ emotion: 'happy', confident: true });
  });
});
