// Account endpoints of docs/apps/machines.md §3.1-§3.4 plus a refresh endpoint the original lacked (§9.13).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../core/core.js';
import { langOf } from '../../core/http/errors.js';
import { errors } from '../../core/http/schemas.js';
import { message } from '../../core/i18n/messages.js';
import { tokenFromHeader } from '../../core/identity/tokens.js';
import type { AccountsService } from './accounts.service.js';
import { ACCESS_COOKIE, clearTokenCookies, readCookies, REFRESH_COOKIE, setTokenCookies } from './cookies.js';
import { ok } from './envelope.js';
import * as s from './machines.schemas.js';

export function accountsRoutes(core: Pick<Platform, 'identity' | 'http'>, accounts: AccountsService): FastifyPluginAsyncZod {
  const strict = core.http.strictLimit;
  const ttl = { accessTtl: core.identity.opts.accessTtl, refreshTtl: core.identity.opts.refreshTtl };

  return async (app) => {
    const cookiePath = app.prefix || '/';

    app.post(
      '/api/sign-up/',
      {
        config: strict,
        schema: { summary: '회원가입', body: s.signUpBody, response: { 201: s.authReply, ...errors(400, 429) } },
      },
      async (req, reply) => {
        const session = await accounts.signUp(req.body);
        setTokenCookies(req, reply, cookiePath, { ...session.token, ...ttl });
        return reply.status(201).send(ok(session));
      },
    );

    // /api/sign-in/ is the README's name for the same endpoint (docs/apps/machines.md §3)
    for (const path of ['/api/log-in/', '/api/sign-in/']) {
      app.post(
        path,
        {
          config: strict,
          schema: { summary: '로그인', body: s.logInBody, response: { 200: s.authReply, ...errors(400, 401, 429) } },
        },
        async (req, reply) => {
          // one per-account budget for both paths (core/limits/logins.ts, docs/security.md)
          const session = await core.http.logins.attempt('machines', req.body.username, req.ip, () => accounts.logIn(req.body.username, req.body.password));
          setTokenCookies(req, reply, cookiePath, { ...session.token, ...ttl });
          return ok(session);
        },
      );
    }

    app.get(
      '/api/log-in/',
      {
        config: strict,
        schema: {
          summary: '쿠키 로그인 확인 (만료 시 refresh 쿠키로 재발급)',
          response: { 200: s.envelope(s.userOut), ...errors(401) },
        },
      },
      async (req, reply) => {
        const cookies = readCookies(req);
        const access = cookies[ACCESS_COOKIE] || tokenFromHeader(req.headers.authorization) || undefined;
        const who = await accounts.whoAmI(access, cookies[REFRESH_COOKIE] || undefined);
        if (who.renewed) setTokenCookies(req, reply, cookiePath, { ...who.renewed, ...ttl });
        return ok(who.user);
      },
    );

    app.post(
      '/api/log-out/',
      { schema: { summary: '로그아웃 (세션 폐기)', body: s.refreshBody, response: { 202: s.messageReply } } },
      async (req, reply) => {
        const cookies = readCookies(req);
        await accounts.logOut([
          tokenFromHeader(req.headers.authorization),
          cookies[ACCESS_COOKIE],
          cookies[REFRESH_COOKIE],
          req.body?.refresh,
        ]);
        clearTokenCookies(req, reply, cookiePath);
        return reply.status(202).send(ok({ message: message('LOGOUT_SUCCESS', langOf(req)) }));
      },
    );

    app.post(
      '/api/token/refresh/',
      {
        config: strict,
        schema: { summary: '토큰 재발급 (rotation)', body: s.refreshBody, response: { 200: s.envelope(s.tokenPair), ...errors(401) } },
      },
      async (req, reply) => {
        const session = await accounts.refresh(req.body?.refresh ?? readCookies(req)[REFRESH_COOKIE]);
        setTokenCookies(req, reply, cookiePath, { ...session.token, ...ttl });
        return ok(session.token);
      },
    );
  };
}
