// Per-user routes: every `{user_id}` / `{uuid}` must be the token's own user (403 otherwise).
// Seed paths (`api/users/{user_id}/…`, `api/trash/users/…`) and the original `/api/v1/animals/…`.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import type { Platform } from '../../core/core.js';
import { AppError } from '../../core/errors.js';
import { langOf } from '../../core/http/errors.js';
import { errors } from '../../core/http/schemas.js';
import { principalOf, requireAuth, tokenOf } from '../../core/identity/guard.js';
import { taskTopic, type AnalysisService } from './analysis.service.js';
import type { StatsService } from './stats.service.js';
import { APP, type UsersService } from './users.service.js';
import * as s from './zodiac.schemas.js';

const bearer = [{ bearer: [] }];

export function userRoutes(core: Pick<Platform, 'identity' | 'hub'>, users: UsersService, analysis: AnalysisService, stats: StatsService): FastifyPluginAsyncZod {
  const guard = requireAuth(core.identity, APP);
  const self = (req: FastifyRequest, uuid: string) => users.self(principalOf(req), uuid);

  return async (app) => {
    const upload = async (req: FastifyRequest, uuid: string) => {
      const user = await self(req, uuid);
      const body = (req.body ?? {}) as Record<string, unknown>;
      return analysis.upload(user.id, body.filename ?? body.file ?? body.image);
    };
    const uploadSchema = <P extends ZodType>(params: P) => ({
      summary: '사진 업로드 → 분석 작업 시작 (multipart, 파일 필드 filename)',
      consumes: ['multipart/form-data'],
      security: bearer,
      params,
      response: { 202: s.uploadReply, ...errors(400, 401, 403, 413, 415, 422, 429) },
    });
    app.post('/api/users/:user_id/results/tasks', { preHandler: guard, schema: uploadSchema(s.userParams) }, async (req, reply) =>
      reply.status(202).send(await upload(req, req.params.user_id)),
    );
    app.post('/api/v1/animals/user/:uuid', { preHandler: guard, schema: uploadSchema(s.v1UserParams) }, async (req, reply) =>
      reply.status(202).send(await upload(req, req.params.uuid)),
    );

    const poll = async (req: FastifyRequest, uuid: string, taskId: string) => {
      const user = await self(req, uuid);
      return analysis.poll(user.id, taskId);
    };
    const pollSchema = <P extends ZodType>(params: P) => ({
      summary: '분석 결과 조회 (읽기 전용, 몇 번을 불러도 같은 답): notyet | 결과 | 실패',
      security: bearer,
      params,
      response: { 200: s.pollReply, ...errors(401, 403, 404) },
    });
    app.get('/api/users/:user_id/results/tasks/:task_id', { preHandler: guard, schema: pollSchema(s.taskParams) }, async (req) =>
      poll(req, req.params.user_id, req.params.task_id),
    );
    for (const method of ['GET', 'POST'] as const) {
      app.route({
        method,
        url: '/api/v1/animals/user/:uuid/tasks/:task_id',
        preHandler: guard,
        schema: pollSchema(s.v1TaskParams),
        handler: async (req) => poll(req, req.params.uuid, req.params.task_id),
      });
    }

    app.get(
      '/api/users/:user_id/challenges',
      { preHandler: guard, schema: { summary: '내가 달성한 도전과제', security: bearer, params: s.userParams, response: { 200: s.userChallengesReply, ...errors(401, 403) } } },
      async (req) => stats.userChallenges((await self(req, req.params.user_id)).id),
    );
    app.get(
      '/api/users/:user_id/pages/:page_number',
      {
        preHandler: guard,
        schema: { summary: '내 사진 기록 (10개씩, 최신순)', security: bearer, params: s.pageParams, response: { 200: s.historyReply, ...errors(400, 401, 403) } },
      },
      async (req) => stats.history((await self(req, req.params.user_id)).id, req.params.page_number),
    );
    for (const base of ['/api/trash/users/:user_id/statistics', '/api/users/:user_id/statistics']) {
      app.get(
        base,
        { preHandler: guard, schema: { summary: '내 1위 띠 통계 (전체)', security: bearer, params: s.userParams, response: { 200: s.countsReply, ...errors(401, 403) } } },
        async (req) => stats.userStatistics((await self(req, req.params.user_id)).id),
      );
      app.get(
        `${base}/period/:from_date/:to_date`,
        {
          preHandler: guard,
          schema: { summary: '내 1위 띠 통계 (기간, 서울 날짜 YYYY-MM-DD)', security: bearer, params: s.periodParams, response: { 200: s.countsReply, ...errors(400, 401, 403) } },
        },
        async (req) => stats.userStatistics((await self(req, req.params.user_id)).id, req.params.from_date, req.params.to_date),
      );
    }
    app.get(
      '/api/v1/animals/user/:uuid/mypage',
      { preHandler: guard, schema: { summary: '내 결과 전체 (사진당 3행)', security: bearer, params: s.v1UserParams, response: { 200: s.mypageReply, ...errors(401, 403) } } },
      async (req) => stats.mypage((await self(req, req.params.uuid)).id),
    );

    for (const which of ['original', 'thumbnail'] as const) {
      app.get(
        which === 'original' ? '/api/v1/animals/pictures/:picuuid' : '/api/v1/animals/pictures/:picuuid/thumbnail',
        { schema: { summary: which === 'original' ? '업로드한 사진 (메타데이터 제거본)' : '업로드한 사진의 썸네일', params: s.picParams } },
        async (req, reply) => {
          const pic = await analysis.picture(req.params.picuuid, which);
          return reply.type(pic.mime).header('cache-control', 'private, max-age=86400').send(pic.body);
        },
      );
    }

    app.get('/ws/zodiac/tasks/:task_id/', { websocket: true, schema: { params: s.wsParams, hide: true } }, async (socket, req) => {
      core.hub.track(socket);
      try {
        const claims = await core.identity.authenticate(APP, tokenOf(req, true));
        const view = await analysis.taskForSocket(claims.user_id, req.params.task_id);
        if (!view) throw new AppError('TASK_NOT_FOUND', 404);
        // join first, then read: an event between the two is sent twice, never lost
        await core.hub.join(taskTopic(view.task.id), socket, String(claims.user_id));
        const fresh = (await analysis.taskForSocket(claims.user_id, view.task.id)) ?? view;
        socket.send(JSON.stringify({ type: 'progress', ...(await analysis.payload(fresh, langOf(req))) }));
        if (fresh.task.status === 'done' || fresh.task.status === 'failed') socket.close(1000, fresh.task.status);
      } catch (err) {
        const status = err instanceof AppError ? err.status : 500;
        socket.close(status === 401 ? 4401 : status === 404 ? 4404 : 1011, err instanceof AppError ? err.code : 'error');
      }
    });
  };
}
