// Reading a face for the look-alike: the photo is analysed as given and as its mirror image, and
// each face's measurements are the mean of the two readings. The measurements are left/right
// symmetric, but the landmark net is not: on a mirrored photo it places the points a little
// differently, enough to change the animal of nearly one face in two (21 of 48 in bench vision-quality).
// With both readings averaged, a photo and its mirror image give the same pair, hence the same
// animal. Costs a second analysis of the photo. In both, the landmarks of the faces measured are
// the mean of nine reads on shifted and scaled crops placed on a box derived from the face's own
// points (core/vision/steady-landmarks.ts): one read on the detector's box
// moves with the crop, enough to flip a face near a boundary to another animal.
import type { Face, FaceAnalysis, FaceAnalyzer, RgbImage } from '../../core/vision/face-analyzer.js';
import { largestFace } from '../../core/vision/face-analyzer.js';
import { decodeForInference } from '../../core/vision/image-intake.js';
import { ANALYSIS_SIDE } from '../../core/vision/photo.js';
import { average, measure, type Measurements } from './scoring.js';

export interface FaceReading {
  face: Face;
  /** the face and its mirror image, averaged (the face alone when the mirror pass did not find it) */
  measurements: Measurements;
  /** the two readings apart: as photographed, and mirrored */
  readings: [Measurements, Measurements | undefined];
}

export interface PhotoReading {
  analysis: FaceAnalysis;
  faces: FaceReading[];
}

/** the image flipped left to right (a new buffer) */
export function mirrorImage(img: RgbImage): RgbImage {
  const { width, height, data } = img;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const s = row + x * 3;
      const t = row + (width - 1 - x) * 3;
      out[t] = data[s]!;
      out[t + 1] = data[s + 1]!;
      out[t + 2] = data[s + 2]!;
    }
  }
  return { width, height, data: out };
}

/**
 * For each face of `faces`, the face of `mirrored` (found on the image flipped left to right, of
 * width `width`) that is the same face: its box flipped back overlaps most (IoU ≥ 0.3).
 */
export function matchMirrored(faces: Face[], mirrored: Face[], width: number): Array<Face | undefined> {
  const used = new Set<number>();
  return faces.map((f) => {
    let best = -1;
    let bestIou = 0.3;
    mirrored.forEach((m, i) => {
      if (used.has(i)) return;
      const back = { x: width - m.box.x - m.box.width, y: m.box.y, width: m.box.width, height: m.box.height };
      const v = iou(f.box, back);
      if (v >= bestIou) {
        best = i;
        bestIou = v;
      }
    });
    if (best < 0) return undefined;
    used.add(best);
    return mirrored[best];
  });
}

function iou(a: Face['box'], b: Face['box']): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = w * h;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

export interface ReadOptions {
  maxFaces?: number;
  /** how many of the largest faces get steady landmarks (default: all); zodiac measures one */
  measured?: number;
}

/** every face of a photo with its mirror-averaged measurements (faces without 68 landmarks left out) */
export async function readPhoto(analyzer: FaceAnalyzer, bytes: Buffer, opts: ReadOptions = {}): Promise<PhotoReading> {
  const rgb = await decodeForInference(bytes, ANALYSIS_SIDE);
  const maxFaces = opts.maxFaces ?? 100;
  const steadyLandmarks = opts.measured ?? maxFaces;
  return readAnalysed(analyzer, rgb, await analyzer.analyze(rgb, { maxFaces, steadyLandmarks }), { maxFaces, measured: steadyLandmarks });
}

/**
 * the mirror pass over an image already analysed as given (`analysis`, which should have been
 * asked for steady landmarks the same way), and the averaged readings
 */
export async function readAnalysed(analyzer: FaceAnalyzer, rgb: RgbImage, analysis: FaceAnalysis, opts: ReadOptions = {}): Promise<PhotoReading> {
  const faces = analysis.faces.filter((f) => f.landmarks.length === 68);
  if (!faces.length) return { analysis, faces: [] };
  const maxFaces = opts.maxFaces ?? 100;
  const other = await analyzer.analyze(mirrorImage(rgb), { maxFaces, steadyLandmarks: opts.measured ?? maxFaces });
  const partners = matchMirrored(faces, other.faces.filter((f) => f.landmarks.length === 68), analysis.width);
  return {
    analysis,
    faces: faces.map((face, i) => {
      const a = measure(face.landmarks);
      const b = partners[i] ? measure(partners[i].landmarks) : undefined;
      return { face, measurements: average(a, b), readings: [a, b] };
    }),
  };
}

/** the largest face of a photo, read (zodiac's answer is about it); undefined when there is none */
export async function readLargestFace(analyzer: FaceAnalyzer, bytes: Buffer, opts: { maxFaces?: number } = {}): Promise<{ analysis: FaceAnalysis; reading?: FaceReading }> {
  const { analysis, faces } = await readPhoto(analyzer, bytes, { ...opts, measured: 1 });
  const face = largestFace(faces.map((f) => f.face));
  return { analysis, reading: faces.find((f) => f.face === face) };
}
