import type { preHandlerHookHandler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../../core/http/schemas.js';
import { latField, lonField, userOf } from '../mealbuddy.common.js';
import type { WeatherService } from './weather.service.js';

export const weatherQuery = z.object({ lat: latField().optional(), lon: lonField().optional() });
const weatherReply = z.record(z.string(), z.string());

export function weatherRoutes(service: WeatherService, guard: preHandlerHookHandler): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/openAPI/weather/',
      {
        preHandler: guard,
        schema: {
          summary: '현재 날씨 (기상청 단기예보; lat/lon 생략 시 회원 위치)',
          security: [{ bearer: [] as string[] }],
          querystring: weatherQuery,
          response: { 200: weatherReply, ...errors(400, 401, 502, 503) },
        },
      },
      async (req) => service.forUser(userOf(req), req.query),
    );
  };
}
