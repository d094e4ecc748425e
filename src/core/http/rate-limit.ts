// Route config for the stricter limit on credential endpoints (login, sign-up, refresh): keyed by
// client address, counted in Redis when configured so it holds across instances.
import type { FastifyContextConfig } from 'fastify';
import type { Config } from '../config.js';

export function strictLimit(config: Config): FastifyContextConfig {
  return {
    rateLimit: config.RATE_LIMIT_ENABLED
      ? { max: config.RATE_LIMIT_AUTH_MAX, timeWindow: config.RATE_LIMIT_WINDOW_MS }
      : false,
  };
}
