import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hugePng, noFaceImage, oversizedJpeg, svgImage, syntheticFace, truncatedJpeg } from '../../../test/fixtures/images.js';
import { AppError } from '../errors.js';
import { checkImage, decodeForInference, intakeImage, sniffImageType } from './image-intake.js';

async function refusal(p: Promise<unknown>): Promise<[number, string]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return [err.status, err.code];
    throw err;
  }
  throw new Error('accepted');
}

describe('image intake', () => {
  it('sniffs JPEG, PNG and WebP from the bytes, nothing else', async () => {
    expect(sniffImageType(await syntheticFace('jpeg'))).toBe('jpeg');
    expect(sniffImageType(await syntheticFace('png'))).toBe('png');
    expect(sniffImageType(await syntheticFace('webp'))).toBe('webp');
    expect(sniffImageType(svgImage())).toBeNull();
    expect(sniffImageType(Buffer.from('GIF89a....'))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });

  it('refuses SVG and other types with 415, whatever they claim to be', async () => {
    expect(await refusal(intakeImage(svgImage()))).toEqual([415, 'UNSUPPORTED_IMAGE_TYPE']);
    const gif = await sharp(await syntheticFace('png')).gif().toBuffer();
    expect(await refusal(intakeImage(gif))).toEqual([415, 'UNSUPPORTED_IMAGE_TYPE']);
  });

  it('refuses more than 10 MB with 413 before decoding', async () => {
    expect(await refusal(intakeImage(oversizedJpeg()))).toEqual([413, 'IMAGE_TOO_LARGE']);
  });

  it('refuses a 100-megapixel PNG with 422 from its header, without decoding it', async () => {
    const png = hugePng();
    expect(png.length).toBeLessThan(1024 * 1024);
    expect(await refusal(intakeImage(png))).toEqual([422, 'IMAGE_TOO_MANY_PIXELS']);
    expect((await checkImage(hugePng(6000, 6000))).width).toBe(6000);
  });

  it('refuses a truncated JPEG with 422 INVALID_IMAGE', async () => {
    expect(await refusal(intakeImage(await truncatedJpeg()))).toEqual([422, 'INVALID_IMAGE']);
    // the upload check of apps that decode later (igemoji) refuses it too, whatever the format
    expect(await refusal(checkImage(await truncatedJpeg()))).toEqual([422, 'INVALID_IMAGE']);
    for (const format of ['png', 'webp'] as const) {
      const whole = await syntheticFace(format);
      expect((await checkImage(whole)).type).toBe(format);
      expect(await refusal(checkImage(whole.subarray(0, Math.floor(whole.length * 0.9)))), format).toEqual([422, 'INVALID_IMAGE']);
    }
    expect(await refusal(decodeForInference(await truncatedJpeg()))).toEqual([422, 'INVALID_IMAGE']);
  });

  it('applies the EXIF orientation, then drops every metadata block', async () => {
    const upright = await noFaceImage(); // 480 × 320
    const tagged = await sharp(upright).withMetadata({ orientation: 6, exif: { IFD0: { Artist: 'secret person' } } }).jpeg().toBuffer();
    const meta = await sharp(tagged).metadata();
    expect([meta.width, meta.orientation]).toEqual([480, 6]);
    const out = await intakeImage(tagged);
    expect([out.width, out.height, out.type, out.ext, out.mime]).toEqual([320, 480, 'jpeg', 'jpg', 'image/jpeg']);
    const clean = await sharp(out.original).metadata();
    expect([clean.width, clean.height]).toEqual([320, 480]);
    expect(clean.exif).toBeUndefined();
    expect(clean.orientation).toBeUndefined();
    expect(out.original.includes(Buffer.from('secret person'))).toBe(false);
    const thumb = await sharp(out.thumbnail).metadata();
    expect(Math.max(thumb.width!, thumb.height!)).toBeLessThanOrEqual(256);
  });

  it('keeps PNG and WebP in their format; the model gets RGB no larger than 640 px', async () => {
    for (const f of ['png', 'webp'] as const) {
      const out = await intakeImage(await syntheticFace(f, {}, 900));
      expect(out.type).toBe(f);
      expect(sniffImageType(out.original)).toBe(f);
      const rgb = await decodeForInference(out.original);
      expect([rgb.width, rgb.height]).toEqual([640, 640]);
      expect(rgb.data.length).toBe(640 * 640 * 3);
    }
  });
});
