// Photos → composites (docs/apps/igemoji.md §5.5, §5.6, §5.9): submit at the seed's `POST /api/v1/faces/` and the
// final `results/tasks` path, poll at both (read only: the owner's, or, without a token, whoever
// holds the random task id), the result image (inline or as a download), and progress over WebSocket.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../core/core.js';
import { AppError } from '../../core/errors.js';
import { langOf } from '../../core/http/errors.js';
import { errors } from '../../core/http/schemas.js';
import { optionalAuth, principalOf, requireAuth, tokenOf } from '../../core/identity/guard.js';
import { taskTopic, type FacesService } from './faces.service.js';
import * as s from './igemoji.schemas.js';
import { APP, assertSelf } from './users.service.js';

const bearer = [{ bearer: [] }];

export function facesRoutes(core: Pick<Platform, 'identity' | 'hub'>, faces: FacesService): FastifyPluginAsyncZod {
  const guard = requireAuth(core.identity, APP);
  const maybe = optionalAuth(core.identity, APP);

  return async (app) => {
    const upload = async (req: FastifyRequest) => {
      const claims = principalOf(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      assertSelf(claims, body.user_id);
      return faces.upload(claims.user_id, body);
    };
    const uploadSchema = {
      summary: '사진 올리기 → 표정 분석·합성 작업 시작 (multipart: emoji_id, image) → 202 {task_id}',
      consumes: ['multipart/form-data'],
      security: bearer,
      response: { 202: s.taskReply, ...errors(400, 401, 403, 404, 413, 415, 422, 429) },
    };
    for (const url of ['/api/v1/faces/', '/api/v1/faces/results/tasks']) {
      app.post(url, { preHandler: guard, schema: uploadSchema }, async (req, reply) => reply.status(202).send(await upload(req)));
    }

    // The original front end polls with a plain fetch and no token: without one, the task's random
    // UUID is the key, as for the composite's URL. With a token, only the owner's task answers.
    const poll = (req: FastifyRequest, taskId: string, sentUserId: unknown) => {
      const claims = req.principal;
      if (claims) assertSelf(claims, sentUserId);
      return faces.poll(claims?.user_id, taskId, langOf(req));
    };
    const pollSummary = '작업 결과 조회 (읽기 전용): notyet | done(합성 이미지, 얼굴별 표정) | false(reason: NO_FACE, BAD_IMAGE, AI_ERROR)';
    app.get(
      '/api/v1/faces/',
      { preHandler: maybe, schema: { summary: pollSummary, security: bearer, querystring: s.taskQuery, response: { 200: s.pollReply, ...errors(400, 401, 403, 404) } } },
      async (req) => poll(req, req.query.task_id, req.query.user_id),
    );
    app.get(
      '/api/v1/faces/results/tasks/:task_id',
      {
        preHandler: maybe,
        schema: { summary: pollSummary, security: bearer, params: s.taskParams, querystring: s.userIdQuery, response: { 200: s.pollReply, ...errors(401, 403, 404) } },
      },
      async (req) => poll(req, req.params.task_id, req.query.user_id),
    );

    app.put(
      '/api/v1/faces/results/tasks/:task_id/faces/:n',
      {
        preHandler: guard,
        schema: {
          summary: '결과의 얼굴 하나(faces[n], 0부터) 표정을 직접 고르기 → 새 합성 이미지 (작업 주인만)',
          security: bearer,
          params: s.faceChoiceParams,
          body: s.faceChoiceBody,
          response: { 200: s.pollReply, ...errors(400, 401, 404, 409, 422) },
        },
      },
      async (req) => faces.chooseExpression(principalOf(req).user_id, req.params.task_id, req.params.n, req.body.expression, langOf(req)),
    );

    app.get(
      '/api/v1/faces/results/images/:uuid',
      { schema: { summary: '합성 결과 이미지 (JPEG; ?download=1 이면 내려받기)', params: s.resultImageParams, querystring: s.downloadQuery } },
      async (req, reply) => {
        const img = await faces.resultImage(req.params.uuid);
        const download = req.query.download === '1' || req.query.download === 'true';
        return reply
          .type('image/jpeg')
          .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${img.filename}"`)
          .header('cache-control', 'private, max-age=86400')
          .send(img.body);
      },
    );

    app.get('/ws/igemoji/tasks/:task_id/', { websocket: true, schema: { params: s.taskParams, hide: true } }, async (socket, req) => {
      core.hub.track(socket);
      try {
        const claims = await core.identity.authenticate(APP, tokenOf(req, true));
        const view = await faces.taskFor(claims.user_id, req.params.task_id);
        if (!view) throw new AppError('TASK_NOT_FOUND', 404);
        // join first, then read: an event between the two is sent twice, never lost
        await core.hub.join(taskTopic(view.face.taskId), socket, String(claims.user_id));
        const fresh = (await faces.taskFor(claims.user_id, view.face.taskId)) ?? view;
        socket.send(JSON.stringify({ type: 'progress', ...faces.payload(fresh, langOf(req)) }));
        if (fresh.face.status === 'done' || fresh.face.status === 'failed') socket.close(1000, fresh.face.status);
      } catch (err) {
        const status = err instanceof AppError ? err.status : 500;
        socket.close(status === 401 ? 4401 : status === 404 ? 4404 : 1011, err instanceof AppError ? err.code : 'error');
      }
    });
  };
}
