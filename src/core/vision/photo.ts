// One photo through the face analysis exactly as the apps run it: decode the stored bytes for the
// model, then detect + landmarks + expressions. zodiac, igemoji and bench/vision-quality.ts all
// call this, so what the benchmark measures is what users get.
import type { FaceAnalysis, FaceAnalyzer } from './face-analyzer.js';
import { decodeForInference } from './image-intake.js';

export interface PhotoOptions {
  maxFaces?: number;
}

export async function analysePhoto(analyzer: FaceAnalyzer, bytes: Buffer, opts: PhotoOptions = {}): Promise<FaceAnalysis> {
  const rgb = await decodeForInference(bytes);
  return analyzer.analyze(rgb, { detector: 'tiny', fallback: true, maxFaces: opts.maxFaces ?? 20 });
}
