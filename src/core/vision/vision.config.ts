// Environment variables shared by the apps that analyse uploaded photos (each declares them in its
// own env schema by spreading this shape).
import { int } from '../config.js';

export const photoUploadEnv = {
  /** photo analyses one user may have queued or running at once; more answer 429 */
  UPLOAD_MAX_PENDING_PER_USER: int(5, 1, 100),
  /** faces one photo may yield (the most confident kept); never below 100 by default */
  VISION_MAX_FACES: int(100, 1, 1000),
};
