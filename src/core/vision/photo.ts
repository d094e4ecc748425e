// One photo through the face analysis exactly as the apps run it: decode the stored bytes for the
// model, then detect + landmarks + expressions. zodiac, igemoji and bench/vision-quality.ts all
// call this, so what the benchmark measures is what users get.
import type { FaceAnalysis, FaceAnalyzer } from './face-analyzer.js';
import { decodeForInference } from './image-intake.js';

/**
 * Longest side handed to the model. SSD looks at the whole photo at 512 px, and photos above 720 px
 * are also searched whole at 1024 px, so a 1280 px copy keeps faces down to ~20 px in the original found.
 */
export const ANALYSIS_SIDE = 1280;

export interface PhotoOptions {
  maxFaces?: number;
}

export async function analysePhoto(analyzer: FaceAnalyzer, bytes: Buffer, opts: PhotoOptions = {}): Promise<FaceAnalysis> {
  const rgb = await decodeForInference(bytes, ANALYSIS_SIDE);
  return analyzer.analyze(rgb, { maxFaces: opts.maxFaces ?? 100 });
}
