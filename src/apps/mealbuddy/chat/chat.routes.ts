import type { preHandlerHookHandler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { langOf } from '../../../core/http/errors.js';
import { errors } from '../../../core/http/schemas.js';
import { message } from '../../../core/i18n/messages.js';
import { z } from 'zod';
import { sendText, userOf } from '../mealbuddy.common.js';
import { bareString, originalErrors } from '../original-errors.js';
import * as s from './chat.schemas.js';
import type { ChatService } from './chat.service.js';

const security = [{ bearer: [] as string[] }];

// Success answers stay the original's bare Korean strings (docs/apps/mealbuddy.md §4.3), with 200 instead of the
// 202 it used for work that is already done (§11.22).
export function chatRoutes(service: ChatService, guard: preHandlerHookHandler): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/chat/:id/',
      {
        preHandler: guard,
        schema: {
          summary: '채팅방 (멤버 전용; ?before=&limit= 로 이전 메시지)',
          security,
          params: s.roomParams,
          querystring: s.historyQuery,
          response: { 200: s.roomPayload, ...errors(400, 401, 403, 404, 410) },
        },
      },
      async (req) => service.room(userOf(req), req.params.id, req.query),
    );

    // a refused join: the original front end alerts the body as it came, a bare string (§10)
    app.post(
      '/api/chat/:id/',
      {
        preHandler: guard,
        errorHandler: originalErrors(bareString),
        schema: {
          summary: '채팅방 참여 (거절되면 이유를 담은 JSON 문자열)',
          security,
          params: s.roomParams,
          response: { 200: s.roomPayload, 400: z.string(), 401: z.string(), 403: z.string(), 404: z.string(), 409: z.string(), 410: z.string() },
        },
      },
      async (req) => service.join(userOf(req), req.params.id),
    );

    app.delete(
      '/api/chat/:id/',
      { preHandler: guard, schema: { summary: '채팅방 삭제 (작성자)', security, params: s.roomParams, response: { 200: s.stringReply, ...errors(400, 401, 403, 404) } } },
      async (req, reply) => {
        await service.deleteRoom(userOf(req), req.params.id);
        return sendText(reply, message('CHAT_DELETED', langOf(req)));
      },
    );

    app.get(
      '/api/chat/:id/user/',
      { preHandler: guard, schema: { summary: '채팅방 참여자 (멤버 전용)', security, params: s.roomParams, response: { 200: s.membersReply, ...errors(400, 401, 403, 404, 410) } } },
      async (req) => service.members(userOf(req), req.params.id),
    );

    app.delete(
      '/api/chat/:id/user/',
      { preHandler: guard, schema: { summary: '채팅방 나가기', security, params: s.roomParams, response: { 200: s.stringReply, ...errors(400, 401, 403, 404, 410) } } },
      async (req, reply) => {
        await service.leave(userOf(req), req.params.id);
        return sendText(reply, message('CHAT_LEFT', langOf(req)));
      },
    );

    app.post(
      '/api/chat/:id/user/ban/',
      {
        preHandler: guard,
        schema: { summary: '강퇴 (작성자)', security, params: s.roomParams, body: s.banBody, response: { 200: s.stringReply, ...errors(400, 401, 403, 404, 410) } },
      },
      async (req, reply) => {
        await service.ban(userOf(req), req.params.id, req.body.target_user_id);
        return sendText(reply, message('USER_BANNED', langOf(req)));
      },
    );
  };
}
