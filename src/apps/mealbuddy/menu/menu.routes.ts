import type { preHandlerHookHandler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { langOf } from '../../../core/http/errors.js';
import { errors, text } from '../../../core/http/schemas.js';
import { message } from '../../../core/i18n/messages.js';
import { latField, lonField, sendText, userOf } from '../mealbuddy.common.js';
import type { MenuService } from './menu.service.js';

const security = [{ bearer: [] as string[] }];
const turns = z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() }));
const askBody = z.object({ lat: latField().optional(), lon: lonField().optional(), message: text(500) });
const pointQuery = z.object({ lat: latField().optional(), lon: lonField().optional() });

export function menuRoutes(service: MenuService, guard: preHandlerHookHandler): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/openAPI/foodchoicer/',
      {
        preHandler: guard,
        schema: {
          summary: '메뉴 추천 대화내역 (lat/lon 을 주면 이전 버전처럼 바로 추천 문자열)',
          security,
          querystring: pointQuery,
          response: { 200: z.union([turns, z.string()]), ...errors(400, 401, 404, 429, 502) },
        },
      },
      async (req, reply) => {
        if (req.query.lat !== undefined || req.query.lon !== undefined) return sendText(reply, await service.quick(userOf(req), req.query));
        return service.history(userOf(req));
      },
    );

    app.post(
      '/api/openAPI/foodchoicer/',
      { preHandler: guard, schema: { summary: '메뉴 추천 질문 (하루 10번)', security, body: askBody, response: { 200: turns, ...errors(400, 401, 429, 502) } } },
      async (req) => service.ask(userOf(req), req.body),
    );

    app.delete(
      '/api/openAPI/foodchoicer/',
      { preHandler: guard, schema: { summary: '대화내역 초기화', security, response: { 200: z.string(), ...errors(401) } } },
      async (req, reply) => {
        await service.clear(userOf(req));
        return sendText(reply, message('MENU_CLEARED', langOf(req)));
      },
    );
  };
}
