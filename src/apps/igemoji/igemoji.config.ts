// igemoji's own environment variables (read by the registry before the app itself is loaded)
import { z } from 'zod';
import { photoUploadEnv } from '../../core/vision/vision.config.js';

export const igemojiEnv = z.object({
  ...photoUploadEnv,
  // template spam (issue 15 #7, docs/security.md): new templates per user per hour, live ones per user
  IGEMOJI_TEMPLATES_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(5),
  IGEMOJI_TEMPLATES_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(50),
});
