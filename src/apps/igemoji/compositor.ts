// Compositing, docs/apps/igemoji.md §6.3 with §11.6 fixed: the template picture keeps its aspect and alpha, is
// scaled to the face, rotated to the eye line, centred between the eyes and the mouth, and clipped
// at the image edges. planOverlay and blendInto are pure (no I/O), so golden tests drive them on
// synthetic layouts; compositeFaces adds the sharp decode/resize/rotate/encode around them.
import sharp from 'sharp';
import { centreOf, type Box, type Point } from '../../core/vision/face-analyzer.js';

export interface FaceGeometry {
  box: Box;
  /** 68-point layout; fewer points → the box centre is used */
  landmarks: Point[];
  rollDeg: number;
  /** where to centre the picture when the landmarks are not kept (a stored result re-composited) */
  centre?: Point;
}

export interface Placement {
  cx: number;
  cy: number;
  /** side of the square the picture is fitted into (aspect kept) */
  size: number;
  angleDeg: number;
}

/** raw interleaved pixels; the base is RGB (3), overlays RGBA (4) */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** the detector's box is tight around brows-to-chin: a little larger hides the whole face */
export const FACE_COVER = 1.35;

export function planOverlay(face: FaceGeometry, scale = 1): Placement {
  const { box } = face;
  let centre: Point = face.centre ?? { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  if (face.landmarks.length >= 68) {
    const eyes = centreOf(face.landmarks.slice(36, 48));
    const mouth = centreOf(face.landmarks.slice(48, 68));
    centre = { x: (eyes.x + mouth.x) / 2, y: (eyes.y + mouth.y) / 2 };
  }
  return {
    cx: centre.x * scale,
    cy: centre.y * scale,
    size: Math.max(1, Math.round(Math.max(box.width, box.height) * FACE_COVER * scale)),
    angleDeg: Number.isFinite(face.rollDeg) ? face.rollDeg : 0,
  };
}

/**
 * Alpha-blends an RGBA overlay onto an RGB base in place, top-left at (left, top); whatever falls
 * outside the base is skipped. Returns how many base pixels were touched.
 */
export function blendInto(base: RawImage, overlay: RawImage, left: number, top: number): number {
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const x1 = Math.min(base.width, left + overlay.width);
  const y1 = Math.min(base.height, top + overlay.height);
  let touched = 0;
  for (let y = y0; y < y1; y++) {
    let b = (y * base.width + x0) * base.channels;
    let o = ((y - top) * overlay.width + (x0 - left)) * 4;
    for (let x = x0; x < x1; x++, b += base.channels, o += 4) {
      const a = overlay.data[o + 3]!;
      if (a === 0) continue;
      touched++;
      if (a === 255) {
        base.data[b] = overlay.data[o]!;
        base.data[b + 1] = overlay.data[o + 1]!;
        base.data[b + 2] = overlay.data[o + 2]!;
        continue;
      }
      const k = a / 255;
      for (let c = 0; c < 3; c++) base.data[b + c] = Math.round(overlay.data[o + c]! * k + base.data[b + c]! * (1 - k));
    }
  }
  return touched;
}

/** The template picture fitted into the placement's square (aspect kept) and rotated, as RGBA. */
export async function renderOverlay(picture: Buffer, p: Placement): Promise<{ overlay: RawImage; left: number; top: number }> {
  const fitted = await sharp(picture)
    .ensureAlpha()
    .resize(p.size, p.size, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let data = fitted.data;
  let { width, height } = fitted.info;
  if (Math.abs(p.angleDeg) >= 0.5) {
    // a separate pipeline: sharp would otherwise rotate before resizing
    const rotated = await sharp(fitted.data, { raw: { width, height, channels: 4 } })
      .rotate(p.angleDeg, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .raw()
      .toBuffer({ resolveWithObject: true });
    data = rotated.data;
    ({ width, height } = rotated.info);
  }
  const overlay: RawImage = { data, width, height, channels: 4 };
  return { overlay, left: Math.round(p.cx - width / 2), top: Math.round(p.cy - height / 2) };
}

export interface CompositeInput {
  /** the upright photo (any format sharp reads) */
  photo: Buffer;
  /** width of the image the face geometry was measured on */
  analysedWidth: number;
  faces: Array<{ geometry: FaceGeometry; picture: Buffer }>;
  /** longest side of the result */
  maxSide?: number;
  quality?: number;
}

export interface CompositeOutput {
  jpeg: Buffer;
  width: number;
  height: number;
  placements: Placement[];
}

export async function compositeFaces(input: CompositeInput): Promise<CompositeOutput> {
  const maxSide = input.maxSide ?? 2048;
  const { data, info } = await sharp(input.photo, { failOn: 'error' })
    .rotate()
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const base: RawImage = { data, width: info.width, height: info.height, channels: 3 };
  const scale = info.width / input.analysedWidth;
  const placements = input.faces.map((f) => planOverlay(f.geometry, scale));
  const overlays = await Promise.all(input.faces.map((f, i) => renderOverlay(f.picture, placements[i]!)));
  for (const o of overlays) blendInto(base, o.overlay, o.left, o.top);
  const jpeg = await sharp(base.data, { raw: { width: base.width, height: base.height, channels: 3 } })
    .jpeg({ quality: input.quality ?? 90 })
    .toBuffer();
  return { jpeg, width: base.width, height: base.height, placements };
}
