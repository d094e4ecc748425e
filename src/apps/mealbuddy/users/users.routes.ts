import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { preHandlerHookHandler } from 'fastify';
import type { Platform } from '../../../core/core.js';
import { langOf } from '../../../core/http/errors.js';
import { errors } from '../../../core/http/schemas.js';
import { sendSerialized } from '../../../core/http/serializer.js';
import { message } from '../../../core/i18n/messages.js';
import { principalOf } from '../../../core/identity/guard.js';
import { userOf } from '../mealbuddy.common.js';
import { z } from 'zod';
import { fieldMapOrEnvelope, originalErrors, stringOrEnvelope, type OriginalShape } from '../original-errors.js';
import * as s from './users.schemas.js';
import type { UsersService } from './users.service.js';

const security = [{ bearer: [] as string[] }];

/** the original's bodies: {"error": [...]} for a wrong current password, else the bare field map */
const passwordChangeShape: OriginalShape = (status, body) => {
  if (status !== 400) return undefined;
  if (body.error.code === 'WRONG_CURRENT_PASSWORD') return { error: [body.error.message] };
  return body.error.fields;
};

export function usersRoutes(core: Pick<Platform, 'http'>, service: UsersService, guard: preHandlerHookHandler): FastifyPluginAsyncZod {
  const strict = core.http.strictLimit;
  return async (app) => {
    app.post(
      '/api/user/register/',
      { config: strict, schema: { summary: '회원가입', body: s.registerBody, response: { 201: s.wrappedUser, ...errors(400, 409, 429) } } },
      async (req, reply) => reply.status(201).send(await service.register(req.body)),
    );

    app.post(
      '/api/user/login/',
      { config: strict, schema: { summary: '로그인 (이메일)', body: s.loginBody, response: { 200: s.wrappedUser, ...errors(400, 401, 429) } } },
      // per-account limit and back-off (core/limits/logins.ts, docs/security.md)
      async (req) => core.http.logins.attempt('mealbuddy', req.body.email, req.ip, () => service.login(req.body)),
    );

    app.get(
      '/api/user/current/',
      { preHandler: guard, schema: { summary: '현재 사용자 (새 토큰 발급)', security, response: { 200: s.wrappedUser, ...errors(401) } } },
      (req, reply) => {
        const user = userOf(req);
        const sid = principalOf(req).sid;
        const ready = service.currentReady(user, sid);
        if (ready) {
          sendSerialized(reply, ready);
          return;
        }
        return service.current(user, sid).then((bytes) => {
          sendSerialized(reply, bytes);
        });
      },
    );

    for (const method of ['POST', 'PATCH'] as const) {
      app.route({
        method,
        url: '/api/user/update/',
        preHandler: guard,
        schema: { summary: '회원정보 수정 (username, address, lat/lon)', security, body: s.updateBody, response: { 200: s.userWithToken, ...errors(400, 401, 409) } },
        handler: async (req) => service.update(userOf(req), principalOf(req).sid, req.body),
      });
    }

    // the original front end renders data.error[] and data.new_password1[] (docs/apps/mealbuddy.md §10)
    app.post(
      '/api/user/changepassword/',
      {
        preHandler: guard,
        errorHandler: originalErrors(passwordChangeShape),
        schema: { summary: '비밀번호 변경', security, body: s.changePasswordBody, response: { 200: s.messageReply, 400: fieldMapOrEnvelope, ...errors(401) } },
      },
      async (req) => {
        const r = await service.changePassword(userOf(req), req.body);
        return { message: message(r.message, langOf(req)) };
      },
    );

    // a wrong or missing password is the original's 401 with a bare string, which the front end shows
    app.post(
      '/api/user/delete/',
      {
        preHandler: guard,
        errorHandler: originalErrors((status, body) => (body.error.code === 'INVALID_USER_INFO' ? body.error.message : undefined)),
        schema: { summary: '회원 탈퇴 (비활성화)', security, body: s.deleteBody, response: { 204: z.null(), 401: stringOrEnvelope, ...errors(400) } },
      },
      async (req, reply) => {
        await service.deactivate(userOf(req), req.body?.password);
        return reply.status(204).send(null);
      },
    );
  };
}
