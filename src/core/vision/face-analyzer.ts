// The FaceAnalyzer port: what any face model must give the apps (zodiac reads the geometry of the
// largest face, igemoji the expression and eye line of every face). Adapters live beside it;
// apps only see these types.

/** 8-bit RGB pixels, row-major, `width * height * 3` bytes */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** face-api's seven expression classes, in its order */
export const EXPRESSIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;
export type Expression = (typeof EXPRESSIONS)[number];

export interface Face {
  /** in pixels of the analysed image */
  box: Box;
  /** detector confidence 0..1 */
  score: number;
  /** the 68-point iBUG layout (jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67) */
  landmarks: Point[];
  /** head roll in degrees from the line through the eye centres; positive = clockwise on screen */
  rollDeg: number;
  /** probability per class, summing to ~1 */
  expressions: Record<Expression, number>;
  /** 128-d identity embedding, only when asked for */
  descriptor?: number[];
}

export interface FaceAnalysis {
  width: number;
  height: number;
  /** sorted left to right by box centre */
  faces: Face[];
  /** milliseconds spent in the model */
  ms: number;
}

export type Detector = 'tiny' | 'ssd';

export interface AnalyzeOptions {
  /**
   * 'auto' (default): the measured pipeline (SSD whole at 512 and 1024 px, padded retries, tiny last, turned retries);
   * 'ssd' or 'tiny': that detector alone on the image as given
   */
  detector?: Detector | 'auto';
  /** with a named detector: run the whole 'auto' pipeline instead (it falls back on its own) */
  fallback?: boolean;
  minScore?: number;
  /** at most this many faces, the most confident kept (default 100) */
  maxFaces?: number;
  descriptors?: boolean;
  /** retry turned by 90°, 270°, 180° when no upright face is plausible (default true) */
  rotations?: boolean;
  /** average the expression scores of the face and its mirror image (default true) */
  mirrorExpressions?: boolean;
  /**
   * the landmarks of the n largest upright faces read on nine shifted and scaled crops, averaged,
   * each averaged down to the net's input, for measuring them (steady-landmarks.ts STEADY; 9 reads
   * of ~8 ms per face; default 0)
   */
  steadyLandmarks?: number;
}

/** 'idle': nothing started yet (models load on first use or warm-up) */
export type VisionState = 'idle' | 'loading' | 'ready' | 'failed';

export interface FaceAnalyzer {
  analyze(image: RgbImage, opts?: AnalyzeOptions): Promise<FaceAnalysis>;
  /** where model loading stands, for /readyz (analyzers without a load step may omit it) */
  state?(): VisionState;
  /** resolves once the models are loaded (and reports how long that took) */
  ready(): Promise<{ loadMs: number; backend: string }>;
  close(): Promise<void>;
}

/** Unrecoverable model problems (backend missing, weights unreadable): fail loudly, never degrade. */
export class VisionUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VisionUnavailableError';
  }
}

export function centreOf(points: Point[]): Point {
  const n = points.length || 1;
  return { x: points.reduce((s, p) => s + p.x, 0) / n, y: points.reduce((s, p) => s + p.y, 0) / n };
}

/** Roll from the 68-point layout: the angle of the line from the left eye's centre to the right's. */
export function rollFromLandmarks(landmarks: Point[]): number {
  if (landmarks.length < 48) return 0;
  const left = centreOf(landmarks.slice(36, 42));
  const right = centreOf(landmarks.slice(42, 48));
  return (Math.atan2(right.y - left.y, right.x - left.x) * 180) / Math.PI;
}

export function sortLeftToRight(faces: Face[]): Face[] {
  return [...faces].sort((a, b) => a.box.x + a.box.width / 2 - (b.box.x + b.box.width / 2));
}

export function largestFace(faces: Face[]): Face | undefined {
  let best: Face | undefined;
  for (const f of faces) if (!best || f.box.width * f.box.height > best.box.width * best.box.height) best = f;
  return best;
}
