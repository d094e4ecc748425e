// Image intake with sharp: the type is sniffed from the bytes (never the name or the client's
// Content-Type), size and pixel count are checked from the header before anything is decoded
// (decompression bombs), EXIF orientation is applied and every metadata block dropped, and the
// model gets an RGB copy no larger than 640 px.
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../errors.js';
import type { Catalogue } from '../i18n/messages.js';
import type { RgbImage } from './face-analyzer.js';

export type ImageType = 'jpeg' | 'png' | 'webp';

export const IMAGE_EXT: Record<ImageType, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };
export const IMAGE_MIME: Record<ImageType, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
const MIME_BY_EXT: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export interface IntakeLimits {
  maxBytes: number;
  maxPixels: number;
  /** longest side handed to the model */
  inferenceSide: number;
  thumbnailSide: number;
}

export const DEFAULT_LIMITS: IntakeLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxPixels: 40_000_000,
  inferenceSide: 640,
  thumbnailSide: 256,
};

export const visionMessages: Catalogue = {
  UNSUPPORTED_IMAGE_TYPE: {
    ko: '업로드 가능한 이미지 형식이 아닙니다. (가능한 형식: jpg, jpeg, png, webp)',
    en: 'Unsupported image type (accepted: JPEG, PNG, WebP).',
  },
  IMAGE_TOO_LARGE: { ko: '업로드 가능한 최대 용량은 10MB입니다.', en: 'The image is larger than 10 MB.' },
  IMAGE_TOO_MANY_PIXELS: {
    ko: '이미지 해상도가 너무 큽니다. (최대 4천만 화소)',
    en: 'The image has too many pixels (at most 40 megapixels).',
  },
  INVALID_IMAGE: { ko: '이미지를 읽을 수 없습니다. 손상되었거나 완전하지 않은 파일입니다.', en: 'The image could not be read (damaged or incomplete file).' },
};

export function sniffImageType(buf: Buffer): ImageType | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export function mimeOfKey(key: string): string {
  return MIME_BY_EXT[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

export interface CheckedImage {
  type: ImageType;
  width: number;
  height: number;
}

/**
 * Checks in the order a client can fix them: type (415), bytes (413), pixels (422) from the header,
 * then that the pixel data is all there (a truncated or damaged file is 422 at upload, not a task
 * that fails later). That last pass decodes at a small size: JPEG shrinks on load, still reading
 * every scan.
 */
export async function checkImage(buf: Buffer, limits: IntakeLimits = DEFAULT_LIMITS): Promise<CheckedImage> {
  const type = sniffImageType(buf);
  if (!type) throw new AppError('UNSUPPORTED_IMAGE_TYPE', 415);
  if (buf.length > limits.maxBytes) throw new AppError('IMAGE_TOO_LARGE', 413);
  let meta: Metadata;
  try {
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('INVALID_IMAGE', 422);
  }
  if (!meta.width || !meta.height || meta.format !== type) throw new AppError('INVALID_IMAGE', 422);
  if (meta.width * meta.height * Math.max(1, meta.pages ?? 1) > limits.maxPixels) throw new AppError('IMAGE_TOO_MANY_PIXELS', 422);
  try {
    await sharp(buf, { limitInputPixels: limits.maxPixels, failOn: 'error' }).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch {
    throw new AppError('INVALID_IMAGE', 422);
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return { type, width: rotated ? meta.height : meta.width, height: rotated ? meta.width : meta.height };
}

export interface IntakeResult extends CheckedImage {
  /** upright, metadata-free, same format as sent */
  original: Buffer;
  /** JPEG, longest side ≤ thumbnailSide */
  thumbnail: Buffer;
  ext: string;
  mime: string;
}

/** Full intake: checks, then a clean re-encode and a thumbnail. Unreadable pixel data → 422 INVALID_IMAGE. */
export async function intakeImage(buf: Buffer, limits: IntakeLimits = DEFAULT_LIMITS): Promise<IntakeResult> {
  const checked = await checkImage(buf, limits);
  try {
    // sharp writes no metadata unless told to (withMetadata), so this drops EXIF/XMP/ICC text
    const upright = sharp(buf, { limitInputPixels: limits.maxPixels, failOn: 'error' }).rotate();
    const encoded =
      checked.type === 'jpeg'
        ? upright.jpeg({ quality: 90, mozjpeg: false })
        : checked.type === 'png'
          ? upright.png()
          : upright.webp({ quality: 90 });
    const original = await encoded.toBuffer();
    const thumbnail = await sharp(original)
      .resize(limits.thumbnailSide, limits.thumbnailSide, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 80 })
      .toBuffer();
    return { ...checked, original, thumbnail, ext: IMAGE_EXT[checked.type], mime: IMAGE_MIME[checked.type] };
  } catch {
    throw new AppError('INVALID_IMAGE', 422);
  }
}

/** The model's input: upright RGB, longest side ≤ maxSide. Throws INVALID_IMAGE on unreadable data. */
export async function decodeForInference(buf: Buffer, maxSide = DEFAULT_LIMITS.inferenceSide, maxPixels = DEFAULT_LIMITS.maxPixels): Promise<RgbImage> {
  if (!sniffImageType(buf)) throw new AppError('INVALID_IMAGE', 422);
  try {
    const { data, info } = await sharp(buf, { limitInputPixels: maxPixels, failOn: 'error' })
      .rotate()
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch {
    throw new AppError('INVALID_IMAGE', 422);
  }
}

