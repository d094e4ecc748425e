// Users (docs/apps/igemoji.md §5.1–5.4, §5.9): duplicate check, sign-up (JSON, urlencoded or multipart), login,
// token check, refresh, and my page in both the seed's `?case=1|2` and the final `{case}` forms.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../core/core.js';
import { z } from 'zod';
import { langOf } from '../../core/http/errors.js';
import { errors } from '../../core/http/schemas.js';
import { message } from '../../core/i18n/messages.js';
import { principalOf, requireAuth } from '../../core/identity/guard.js';
import type { EmojisService } from './emojis.service.js';
import type { FacesService } from './faces.service.js';
import * as s from './igemoji.schemas.js';
import { APP, assertSelf, type UsersService } from './users.service.js';

const bearer = [{ bearer: [] }];

export function usersRoutes(core: Pick<Platform, 'identity' | 'http'>, users: UsersService, emojis: EmojisService, faces: FacesService): FastifyPluginAsyncZod {
  const guard = requireAuth(core.identity, APP);
  const strict = core.http.strictLimit;

  return async (app) => {
    app.get(
      '/api/v1/users/',
      { schema: { summary: '이메일/닉네임 중복 확인 (case=email|alias, value=…): result=true 이면 사용 가능', querystring: s.duplicateQuery, response: { 200: s.duplicateReply, ...errors(400, 429) } } },
      async (req) => {
        // it tells whether an e-mail or alias exists: a tight limit per address (docs/security.md)
        await core.http.lookups.check(APP, req.ip);
        return users.isFree(req.query.case, req.query.value);
      },
    );

    app.post(
      '/api/v1/users/',
      {
        config: strict,
        schema: { summary: '회원가입 (JSON 또는 multipart: email, password, alias)', body: s.signupBody, response: { 201: s.signupReply, ...errors(400, 409, 429) } },
      },
      async (req, reply) => reply.status(201).send(await users.signup(req.body)),
    );

    app.post(
      '/api/v1/users/auth',
      { config: strict, schema: { summary: '로그인 → access_token, refresh_token', body: s.loginBody, response: { 200: s.tokenReply, ...errors(400, 429) } } },
      async (req) => core.http.logins.attempt(APP, req.body.email, req.ip, () => users.login(req.body.email, req.body.password)),
    );

    app.get(
      '/api/v1/users/auth',
      { preHandler: guard, schema: { summary: '토큰 확인 (Authorization: 토큰, Bearer 생략 가능)', security: bearer, response: { 200: s.whoamiReply, ...errors(401) } } },
      async (req) => users.whoami(principalOf(req)),
    );

    // logout (issue 15 #10: the original had none): revokes the login, access and refresh tokens
    app.post(
      '/api/v1/users/auth/logout',
      { preHandler: guard, schema: { summary: '로그아웃 (토큰 폐기)', security: bearer, response: { 200: z.object({ message: z.string() }), ...errors(401) } } },
      async (req) => {
        await core.identity.revoke(principalOf(req).sid, 'logout');
        return { message: message('LOGGED_OUT', langOf(req), APP) };
      },
    );

    app.post(
      '/api/v1/users/auth/refresh',
      { config: strict, schema: { summary: '토큰 재발급 (refresh_token 회전)', body: s.refreshBody, response: { 200: s.tokenReply, ...errors(400, 401) } } },
      async (req) => users.refresh(req.body?.refresh_token ?? req.body?.refresh),
    );

    const mypage = async (req: FastifyRequest, kind: string, page: unknown, sentUserId: unknown) => {
      const claims = principalOf(req);
      assertSelf(claims, sentUserId);
      const { items, total } = kind === '1' || kind === 'result' ? await faces.myResults(claims.user_id, page) : await emojis.page(page, claims.user_id);
      return { items, total };
    };
    app.get(
      '/api/v1/users/mypage/',
      {
        preHandler: guard,
        schema: {
          summary: '마이페이지: case=1(result) 내가 만든 결과, case=2(upload) 내가 만든 이모지 — 8개씩, 최신순, 배열',
          security: bearer,
          querystring: s.mypageQuery,
          response: { 200: s.mypageReply, ...errors(400, 401, 403) },
        },
      },
      async (req, reply) => {
        const { items, total } = await mypage(req, req.query.case, req.query.page, req.query.user_id);
        return reply.header('x-total-count', String(total)).send(items);
      },
    );
    app.get(
      '/api/v1/users/mypage/:case',
      {
        preHandler: guard,
        schema: { summary: '마이페이지 (경로형: result | upload)', security: bearer, params: s.mypageParams, querystring: s.pageQuery, response: { 200: s.mypageReply, ...errors(400, 401, 403) } },
      },
      async (req, reply) => {
        const { items, total } = await mypage(req, req.params.case, req.query.page, req.query.user_id);
        return reply.header('x-total-count', String(total)).send(items);
      },
    );
  };
}
