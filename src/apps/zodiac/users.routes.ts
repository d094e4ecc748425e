// Public routes: users (seed `api/users/…` and original `/api/v1/users/…`), the twelve animals with
// their fortunes and pictures, and the public rankings.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../core/core.js';
import { AppError } from '../../core/errors.js';
import { errors } from '../../core/http/schemas.js';
import { langOf } from '../../core/http/errors.js';
import { message } from '../../core/i18n/messages.js';
import { principalOf, requireAuth } from '../../core/identity/guard.js';
import { tokenFromHeader } from '../../core/identity/tokens.js';
import { z } from 'zod';
import { animalByName } from './animals.js';
import type { StatsService } from './stats.service.js';
import type { UsersService } from './users.service.js';
import * as s from './zodiac.schemas.js';

const require = createRequire(import.meta.url);
const TWEMOJI_DIR = path.dirname(require.resolve('@twemoji/svg/package.json'));

export function publicRoutes(core: Pick<Platform, 'http' | 'identity'>, users: UsersService, stats: StatsService): FastifyPluginAsyncZod {
  const strict = core.http.strictLimit;
  const guard = requireAuth(core.identity, 'zodiac');
  const images = new Map<string, Buffer>();

  return async (app) => {
    for (const url of ['/api/users/', '/api/v1/users/']) {
      app.get(
        url,
        { schema: { summary: '아이디·닉네임·이메일 중복 확인 (true = 사용 가능)', querystring: s.duplicateQuery, response: { 200: s.duplicateReply, ...errors(400, 429) } } },
        async (req) => {
          // it tells whether a username or e-mail exists: a tight limit per address (docs/security.md)
          await core.http.lookups.check('zodiac', req.ip);
          return users.checkDuplicate(req.query.case, req.query.value);
        },
      );
      app.post(
        url,
        { config: strict, schema: { summary: '회원가입', body: s.signupBody, response: { 201: s.signupReply, ...errors(400, 409, 429) } } },
        async (req, reply) => reply.status(201).send(await users.signup(req.body)),
      );
    }

    for (const url of ['/api/users/auth', '/api/v1/users/auth']) {
      app.post(
        url,
        {
          config: strict,
          schema: {
            summary: '로그인 (username, password) 또는 토큰 갱신 (Authorization 헤더 또는 refresh_token)',
            body: s.authBody,
            response: { 200: s.authReply, ...errors(400, 401, 429) },
          },
        },
        // credentials: one per-account budget for both paths; a refresh (no username) is not a login
        async (req) =>
          core.http.logins.attempt('zodiac', req.body?.username, req.ip, () => users.auth(req.body ?? {}, tokenFromHeader(req.headers.authorization))),
      );
    }

    // logout (issue 15 #10: the original had none): revokes the login, access and refresh tokens
    for (const url of ['/api/users/auth/logout', '/api/v1/users/auth/logout']) {
      app.post(
        url,
        { preHandler: guard, schema: { summary: '로그아웃 (토큰 폐기)', security: [{ bearer: [] }], response: { 200: z.object({ message: z.string() }), ...errors(401) } } },
        async (req) => {
          await core.identity.revoke(principalOf(req).sid, 'logout');
          return { message: message('LOGGED_OUT', langOf(req), 'zodiac') };
        },
      );
    }

    for (const url of ['/api/v1/animals/animallist', '/api/v1/animals/animalist', '/api/animals/animallist', '/api/animals/animalist']) {
      app.get(url, { schema: { summary: '십이지신 목록 (성격, 올해의 운세, 오늘의 운세)', response: { 200: s.animalsReply } } }, async () =>
        stats.animals(),
      );
    }

    app.get(
      '/api/v1/animals/fortunes',
      { schema: { summary: '오늘(또는 date)의 12띠 운세', querystring: s.dateQuery, response: { 200: s.fortunesReply, ...errors(400) } } },
      async (req) => stats.fortunes(req.query.date),
    );

    app.get(
      '/api/v1/animals/:name/fortune',
      {
        schema: {
          summary: '한 띠의 오늘(또는 date) 운세',
          params: s.nameParams,
          querystring: s.dateQuery,
          response: { 200: s.fortuneReply, ...errors(400, 404) },
        },
      },
      async (req) => stats.fortune(req.params.name, req.query.date),
    );

    app.get(
      '/api/v1/animals/images/:file',
      { schema: { summary: '띠 그림 (Twemoji, CC-BY 4.0)', params: s.fileParams } },
      async (req, reply) => {
        const animal = animalByName(req.params.file.replace(/\.svg$/, ''));
        if (!animal) throw new AppError('ANIMAL_NOT_FOUND', 404);
        let svg = images.get(animal.name);
        if (!svg) {
          svg = await readFile(path.join(TWEMOJI_DIR, `${animal.emoji}.svg`));
          images.set(animal.name, svg);
        }
        return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(svg);
      },
    );

    app.get('/api/v1/animals/rank', { schema: { summary: '최근 7일 닮은꼴 순위 (사용자별 최고 1건)', response: { 200: s.rankReply } } }, async () =>
      stats.leaderboard(),
    );
    app.get(
      '/api/statistics/ranking',
      { schema: { summary: '최근 7일 띠별 인기 (1위 결과 수)', response: { 200: s.countsReply } } },
      async () => stats.popularity(),
    );
    app.get('/api/challenges', { schema: { summary: '모든 도전과제', response: { 200: s.challengesReply } } }, async () => stats.challenges());
  };
}

