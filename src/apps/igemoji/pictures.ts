// Template pictures. Uploads are normalised once at creation: upright, at most 512 px, RGBA PNG.
// PNG/WebP alpha is kept as drawn; an opaque picture (a photo, a JPEG) gets a soft elliptical
// mask instead of the original's background-removal model (rembg), so its corners never cover the
// photo. Built-in pictures are rendered from the bundled Twemoji SVGs (CC-BY 4.0) on demand.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../core/errors.js';
import type { BlobStore } from '../../core/storage/storage.js';
import { checkImage, DEFAULT_LIMITS } from '../../core/vision/image-intake.js';

export const PICTURE_SIDE = 512;
/** width of the mask's soft edge, as a share of the smaller side */
const FEATHER = 0.08;
const TWEMOJI_PREFIX = 'twemoji:';
const require = createRequire(import.meta.url);
const TWEMOJI_DIR = path.dirname(require.resolve('@twemoji/svg/package.json'));

export const isBuiltinKey = (key: string) => key.startsWith(TWEMOJI_PREFIX);
export const twemojiKey = (codepoint: string) => `${TWEMOJI_PREFIX}${codepoint}`;

/** Upload → stored PNG. Type, bytes and pixels are checked from the header first (415/413/422). */
export async function normalizePicture(buf: Buffer): Promise<{ png: Buffer; masked: boolean }> {
  await checkImage(buf, DEFAULT_LIMITS);
  try {
    const { data, info } = await sharp(buf, { limitInputPixels: DEFAULT_LIMITS.maxPixels, failOn: 'error' })
      .rotate()
      .resize(PICTURE_SIDE, PICTURE_SIDE, { fit: 'inside', withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const masked = isOpaque(data);
    if (masked) applyEllipseMask(data, info.width, info.height);
    const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toBuffer();
    return { png, masked };
  } catch {
    throw new AppError('INVALID_IMAGE', 422);
  }
}

export function isOpaque(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! < 250) return false;
  return true;
}

/** alpha = 1 inside an ellipse touching the edges, fading to 0 over the feather band */
export function applyEllipseMask(rgba: Uint8Array, width: number, height: number): void {
  const rx = width / 2;
  const ry = height / 2;
  const band = Math.max(1, FEATHER * Math.min(width, height)) / Math.min(rx, ry);
  for (let y = 0; y < height; y++) {
    const dy = (y + 0.5 - ry) / ry;
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - rx) / rx;
      const r = Math.sqrt(dx * dx + dy * dy);
      const t = r <= 1 - band ? 1 : r >= 1 ? 0 : (1 - r) / band;
      const i = (y * width + x) * 4 + 3;
      rgba[i] = Math.round(rgba[i]! * t);
    }
  }
}

const rendered = new Map<string, Promise<Buffer>>();

/** a Twemoji SVG as a 512 px PNG with alpha; cached per process */
export function renderTwemoji(codepoint: string): Promise<Buffer> {
  if (!/^[0-9a-f]{4,5}(-[0-9a-f]{4,5})*$/.test(codepoint)) return Promise.reject(new AppError('TEMPLATE_NOT_FOUND', 404));
  let p = rendered.get(codepoint);
  if (!p) {
    p = readFile(path.join(TWEMOJI_DIR, `${codepoint}.svg`)).then((svg) =>
      sharp(svg, { density: (72 * PICTURE_SIDE) / 36 })
        .resize(PICTURE_SIDE, PICTURE_SIDE, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
        .png()
        .toBuffer(),
    );
    p.catch(() => rendered.delete(codepoint));
    rendered.set(codepoint, p);
  }
  return p;
}

/** the PNG behind a template image key (stored upload or built-in), or null */
export async function loadPicture(store: BlobStore, key: string): Promise<Buffer | null> {
  if (isBuiltinKey(key)) return renderTwemoji(key.slice(TWEMOJI_PREFIX.length)).catch(() => null);
  return store.get(key);
}
