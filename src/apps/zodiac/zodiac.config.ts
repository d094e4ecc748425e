// zodiac's own environment variables (read by the registry before the app itself is loaded)
import { z } from 'zod';
import { photoUploadEnv } from '../../core/vision/vision.config.js';

export const zodiacEnv = z.object(photoUploadEnv);
