// The mealbuddy app's own environment variables (validated at start with the core's).
import { z } from 'zod';
import { optionalUrl } from '../../core/config.js';

export const mealbuddyEnv = z.object({
  /** data.go.kr service key for the KMA village forecast; without it weather answers 503 */
  KMA_SERVICE_KEY: z.string().min(1).optional(),
  KMA_BASE_URL: z.string().url().default('https://apis.data.go.kr/1360000/VilageFcstInfoService_2.0'),
  /** an OpenAI-compatible chat-completions server for menu recommendations (built-in otherwise) */
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
});
