// zodiac's own environment variables (read by the registry before the app itself is loaded)
import { z } from 'zod';
import { int } from '../../core/config.js';
import { photoUploadEnv } from '../../core/vision/vision.config.js';

export const zodiacEnv = z.object({
  ...photoUploadEnv,
  /**
   * how long a result poll of an unfinished analysis waits for it to finish before answering
   * `notyet` (ms; 0 answers at once). The original front end polls once, 2 s after the upload:
   * held, that poll gets the result even when the analysis takes longer (docs/apps/zodiac.md §7)
   */
  ZODIAC_POLL_WAIT_MS: int(8000, 0, 30_000),
});
