import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../core/core.js';
import { langOf } from '../../core/http/errors.js';
import { errors } from '../../core/http/schemas.js';
import { message } from '../../core/i18n/messages.js';
import { principalOf, requireAuth, tokenOf } from '../../core/identity/guard.js';
import * as s from './auth.schemas.js';
import { APP, type AuthService } from './auth.service.js';

export function authRoutes(core: Pick<Platform, 'identity' | 'http'>, service: AuthService): FastifyPluginAsyncZod {
  const guard = requireAuth(core.identity, APP);
  const strict = core.http.strictLimit;

  return async (app) => {
    app.post(
      '/api/signup/',
      {
        config: strict,
        schema: { summary: '회원가입', body: s.signupBody, response: { 201: s.signupReply, ...errors(400, 409, 429) } },
      },
      async (req, reply) => reply.status(201).send(await service.signup(req.body)),
    );

    app.post(
      '/api/login/',
      {
        config: strict,
        schema: { summary: '로그인', body: s.loginBody, response: { 200: s.tokenPairReply, ...errors(400, 401, 429) } },
      },
      // per-account limit and back-off (core/limits/logins.ts, docs/security.md)
      async (req) => core.http.logins.attempt(APP, req.body.username, req.ip, () => service.login(req.body)),
    );

    app.post(
      '/api/verify/',
      { schema: { summary: '토큰 검증', body: s.verifyBody, response: { 200: s.messageReply, ...errors(401) } } },
      async (req) => {
        // the header in any form the guard accepts (Bearer, Token, JWT or raw, docs/apps/auth.md §3.3)
        const token = req.body?.token ?? (tokenOf(req) || null);
        const result = await service.verify(token);
        return { message: message(result.message, langOf(req)) };
      },
    );

    app.get(
      '/api/me/',
      { preHandler: guard, schema: { summary: '내 정보', security: [{ bearer: [] }], response: { 200: s.meReply, ...errors(401) } } },
      async (req) => service.me(principalOf(req).user_id),
    );

    app.post(
      '/api/token/refresh/',
      { config: strict, schema: { summary: '토큰 재발급', body: s.refreshBody, response: { 200: s.tokenPairReply, ...errors(400, 401) } } },
      async (req) => service.refresh(req.body?.refresh ?? req.body?.refresh_token),
    );

    app.post(
      '/api/logout/',
      { preHandler: guard, schema: { summary: '로그아웃', security: [{ bearer: [] }], response: { 200: s.messageReply, ...errors(401) } } },
      async (req) => {
        await service.logout(principalOf(req).sid);
        return { message: message('LOGGED_OUT', langOf(req)) };
      },
    );
  };
}
