// The mealbuddy app's own environment variables (validated at start with the core's), and the
// weather source they choose.
import { z } from 'zod';
import { optionalUrl } from '../../core/config.js';
import { KmaClient, KmaProvider } from './weather/kma.client.js';
import { OpenMeteoClient } from './weather/open-meteo.client.js';
import type { WeatherProvider } from './weather/provider.js';

export const mealbuddyEnv = z
  .object({
    /** auto: KMA when KMA_SERVICE_KEY is set, else Open-Meteo (no key); none: weather answers 503 */
    WEATHER_PROVIDER: z.enum(['auto', 'kma', 'open-meteo', 'none']).default('auto'),
    /** data.go.kr service key for the KMA village forecast */
    KMA_SERVICE_KEY: z.string().min(1).optional(),
    KMA_BASE_URL: z.string().url().default('https://apis.data.go.kr/1360000/VilageFcstInfoService_2.0'),
    OPEN_METEO_BASE_URL: z.string().url().default('https://api.open-meteo.com/v1'),
    /** an OpenAI-compatible chat-completions server for menu recommendations (built-in otherwise) */
    LLM_BASE_URL: optionalUrl,
    LLM_API_KEY: z.string().min(1).optional(),
    LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
    /** address changes one user may make per 24 h (issue 15 #4; each is logged); over it: 429 */
    MEALBUDDY_ADDRESS_CHANGES_PER_DAY: z.coerce.number().int().min(1).max(1000).default(3),
  })
  .superRefine((env, ctx) => {
    if (env.WEATHER_PROVIDER === 'kma' && !env.KMA_SERVICE_KEY) {
      ctx.addIssue({ code: 'custom', path: ['WEATHER_PROVIDER'], message: 'kma needs KMA_SERVICE_KEY' });
    }
  });

export type MealbuddySettings = z.infer<typeof mealbuddyEnv>;

/** the weather source the settings choose (docs/apps/mealbuddy.md §8) */
export function weatherProvider(env: MealbuddySettings): WeatherProvider | undefined {
  const kma = env.KMA_SERVICE_KEY ? new KmaProvider(new KmaClient(env.KMA_BASE_URL, env.KMA_SERVICE_KEY)) : undefined;
  switch (env.WEATHER_PROVIDER) {
    case 'none':
      return undefined;
    case 'open-meteo':
      return new OpenMeteoClient(env.OPEN_METEO_BASE_URL);
    case 'kma':
      return kma;
    default:
      return kma ?? new OpenMeteoClient(env.OPEN_METEO_BASE_URL);
  }
}
