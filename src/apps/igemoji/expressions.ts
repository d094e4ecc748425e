// The 7 template classes (docs/apps/igemoji.md §6.2) and the mapping from face-api's labels (§6.4).
import type { Expression } from '../../core/vision/face-analyzer.js';

export const EMOTIONS = ['neutral', 'angry', 'disgust', 'fear', 'happy', 'sad', 'surprise'] as const;
export type Emotion = (typeof EMOTIONS)[number];

/** multipart field of each template picture, in EMOTIONS order */
export const PICTURE_FIELDS = ['image', 'image1', 'image2', 'image3', 'image4', 'image5', 'image6'] as const;

const FROM_FACEAPI: Record<Expression, Emotion> = {
  neutral: 'neutral',
  happy: 'happy',
  sad: 'sad',
  angry: 'angry',
  fearful: 'fear',
  disgusted: 'disgust',
  surprised: 'surprise',
};

/**
 * Below this top score the face counts as neutral: the model is unsure, and an unsure arg-max
 * flips between two lightly edited copies of one photo. Chosen with bench/vision-quality.ts (the
 * "expression threshold" table: for each threshold, how often the class of a face agrees between
 * the photo, its mirror image and a lightly edited copy, and how many faces it turns neutral). On
 * the development photos agreement rose 84 % (no threshold) → 90 % (0.5) → 95 % (0.6), 0.7 gained
 * nothing, and 0.8 (98 %) turned over a third of the faces neutral: 0.6 is the knee.
 */
export const CONFIDENT_AT = 0.6;

export interface Classified {
  emotion: Emotion;
  /** false when the top score was below the threshold and the face was counted as neutral */
  confident: boolean;
  /** index of the template picture (EMOTIONS order) */
  index: number;
  scores: Record<Emotion, number>;
}

/**
 * arg-max over the 7 classes; a tie goes to the earlier template class, so the result is stable.
 * With `confidentAt`, a top score below it counts as neutral (the scores are kept as they were).
 */
export function classify(expressions: Partial<Record<Expression, number>>, confidentAt = 0): Classified {
  const scores = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
  for (const [label, emotion] of Object.entries(FROM_FACEAPI) as Array<[Expression, Emotion]>) {
    const v = expressions[label];
    scores[emotion] = typeof v === 'number' && Number.isFinite(v) ? v : 0;
  }
  let index = 0;
  for (let i = 1; i < EMOTIONS.length; i++) if (scores[EMOTIONS[i]!] > scores[EMOTIONS[index]!]) index = i;
  if (scores[EMOTIONS[index]!] < confidentAt) return { emotion: 'neutral', index: 0, confident: false, scores };
  return { emotion: EMOTIONS[index]!, index, confident: true, scores };
}
