// provisional, replaced by bench/zodiac-calibrate.ts --write
import type { Calibration } from './calibrate.js';

export const CALIBRATION: Calibration = {
  faces: 0,
  norms: {
    faceLength: { mean: 0.9, sd: 0.1 },
    faceTaper: { mean: 0.7, sd: 0.05 },
    jawWidth: { mean: 0.8, sd: 0.05 },
    eyeSpacing: { mean: 0.25, sd: 0.02 },
    eyeWidth: { mean: 0.2, sd: 0.02 },
    eyeTilt: { mean: 0.1, sd: 0.05 },
    noseLength: { mean: 0.3, sd: 0.03 },
    noseWidth: { mean: 0.17, sd: 0.02 },
  },
  axes: [
    { weights: [1, 0, 0, 0, 0, 0, 0, 0], sd: 1 },
    { weights: [0, 1, 0, 0, 0, 0, 0, 0], sd: 1 },
    { weights: [0, 0, 1, 0, 0, 0, 0, 0], sd: 1 },
  ],
};
