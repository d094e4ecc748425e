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

export interface Classified {
  emotion: Emotion;
  /** index of the template picture (EMOTIONS order) */
  index: number;
  scores: Record<Emotion, number>;
}

/** arg-max over the 7 classes; a tie goes to the earlier template class, so the result is stable */
export function classify(expressions: Partial<Record<Expression, number>>): Classified {
  const scores = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
  for (const [label, emotion] of Object.entries(FROM_FACEAPI) as Array<[Expression, Emotion]>) {
    const v = expressions[label];
    scores[emotion] = typeof v === 'number' && Number.isFinite(v) ? v : 0;
  }
  let index = 0;
  for (let i = 1; i < EMOTIONS.length; i++) if (scores[EMOTIONS[i]!] > scores[EMOTIONS[index]!]) index = i;
  return { emotion: EMOTIONS[index]!, index, scores };
}
