// Templates (docs/apps/igemoji.md §5.8) and rankings (§5.7, §5.9): create with 7 pictures, detail, pages, the
// pictures themselves, creator-only soft delete, top 3 and the full weekly ranking.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../core/core.js';
import { errors } from '../../core/http/schemas.js';
import { principalOf, requireAuth } from '../../core/identity/guard.js';
import type { EmojisService } from './emojis.service.js';
import * as s from './igemoji.schemas.js';
import { APP, assertSelf } from './users.service.js';

const bearer = [{ bearer: [] }];

export function emojisRoutes(core: Pick<Platform, 'identity'>, emojis: EmojisService): FastifyPluginAsyncZod {
  const guard = requireAuth(core.identity, APP);

  return async (app) => {
    app.post(
      '/api/v1/emojis/',
      {
        preHandler: guard,
        schema: {
          summary: '이모지 템플릿 만들기 (multipart: name, image=프로필/neutral, image1 화남, image2 혐오, image3 두려움, image4 기쁨, image5 슬픔, image6 놀람 — 7장 모두 필수)',
          consumes: ['multipart/form-data'],
          security: bearer,
          response: { 201: s.emojiJson, ...errors(400, 401, 403, 413, 415, 422) },
        },
      },
      async (req, reply) => {
        const claims = principalOf(req);
        const body = (req.body ?? {}) as Record<string, unknown>;
        assertSelf(claims, body.user_id);
        return reply.status(201).send(await emojis.create(claims.user_id, body));
      },
    );

    const list = async (page: unknown, reply: import('fastify').FastifyReply) => {
      const { items, total } = await emojis.page(page);
      return reply.header('x-total-count', String(total)).send(items);
    };
    app.get(
      '/api/v1/emojis/',
      { schema: { summary: '이모지 목록 (?page=, 8개씩, 최신순; 각 항목에 total)', querystring: s.pageQuery, response: { 200: s.emojiPage, ...errors(400) } } },
      async (req, reply) => list(req.query.page, reply),
    );
    app.get(
      '/api/v1/emojis/pages/:page',
      { schema: { summary: '이모지 목록 페이지 (8개씩, 최신순; 끝을 지나면 [])', params: s.pageParams, response: { 200: s.emojiPage, ...errors(400) } } },
      async (req, reply) => list(req.params.page, reply),
    );

    app.get(
      '/api/v1/emojis/top3',
      { schema: { summary: '최근 7일간 가장 인기 있는 이모지 (서울 달력 기준, 최대 3개)', response: { 200: s.rankReply } } },
      async () => emojis.ranking(3),
    );
    app.get(
      '/api/v1/faces/ranking',
      { schema: { summary: '최근 7일간 이모지 사용 순위 (전체, 같은 횟수는 id 순)', response: { 200: s.rankReply } } },
      async () => emojis.ranking(),
    );

    app.get(
      '/api/v1/emojis/:id',
      { schema: { summary: '이모지 상세', params: s.emojiParams, response: { 200: s.emojiJson, ...errors(400, 404) } } },
      async (req) => emojis.detail(req.params.id),
    );

    app.get(
      '/api/v1/emojis/:id/images/:emotion',
      { schema: { summary: '템플릿 그림 (neutral|angry|disgust|fear|happy|sad|surprise).png', params: s.pictureParams } },
      async (req, reply) => {
        const png = await emojis.picture(req.params.id, req.params.emotion);
        return reply.type('image/png').header('cache-control', 'public, max-age=3600').send(png);
      },
    );

    const remove = async (req: FastifyRequest, id: number) => {
      const claims = principalOf(req);
      assertSelf(claims, (req.query as { user_id?: unknown } | undefined)?.user_id ?? (req.body as { user_id?: unknown } | undefined)?.user_id);
      return emojis.remove(id, claims.user_id);
    };
    const deleteSchema = {
      summary: '이모지 삭제 (만든 사람만; 숨김 처리)',
      security: bearer,
      params: s.emojiParams,
      querystring: s.userIdQuery,
      response: { 200: s.deletedReply, ...errors(400, 401, 403, 404) },
    };
    app.put('/api/v1/emojis/delete/:id', { preHandler: guard, schema: deleteSchema }, async (req) => remove(req, req.params.id));
    app.delete('/api/v1/emojis/:id', { preHandler: guard, schema: deleteSchema }, async (req) => remove(req, req.params.id));
  };
}
