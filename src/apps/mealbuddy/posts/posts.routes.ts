import type { preHandlerHookHandler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../../core/http/schemas.js';
import { sendReady, sendSerialized } from '../../../core/http/serializer.js';
import { userOf } from '../mealbuddy.common.js';
import * as s from './posts.schemas.js';
import type { PostsService } from './posts.service.js';

const security = [{ bearer: [] as string[] }];

export function postsRoutes(service: PostsService, guard: preHandlerHookHandler): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/post/',
      {
        preHandler: guard,
        schema: { summary: '우리 동네 게시글 목록 (10개씩)', security, querystring: s.listQuery, response: { 200: s.listReply, ...errors(400, 401) } },
      },
      (req, reply) => sendReady(reply, service.list(userOf(req), req.query)),
    );

    app.post(
      '/api/post/write/',
      { preHandler: guard, schema: { summary: '게시글 작성 (채팅방 생성, 작성자 자동 입장)', security, body: s.writeBody, response: { 201: s.postJson, ...errors(400, 401) } } },
      async (req, reply) => reply.status(201).send(await service.write(userOf(req), req.body)),
    );

    app.get(
      '/api/post/detail/:id/',
      { preHandler: guard, schema: { summary: '게시글 상세', security, params: s.idParams, response: { 200: s.postWithJoined, ...errors(400, 401, 404) } } },
      (req, reply) => sendReady(reply, service.detail(userOf(req), req.params.id)),
    );

    app.get(
      '/api/post/detail/:id/edit/',
      { preHandler: guard, schema: { summary: '게시글 수정 폼 (작성자)', security, params: s.idParams, response: { 200: s.postJson, ...errors(400, 401, 403, 404) } } },
      async (req) => service.editForm(userOf(req), req.params.id),
    );

    app.post(
      '/api/post/detail/:id/edit/',
      {
        preHandler: guard,
        schema: {
          summary: '게시글 수정 / 모집 완료·재개 (작성자)',
          security,
          params: s.idParams,
          body: s.editBody,
          response: { 200: s.postWithJoined, ...errors(400, 401, 403, 404) },
        },
      },
      async (req, reply) => sendSerialized(reply, await service.edit(userOf(req), req.params.id, req.body)),
    );

    app.post(
      '/api/post/detail/:id/delete/',
      { preHandler: guard, schema: { summary: '게시글 삭제 (작성자; 채팅 소켓은 4040으로 종료)', security, params: s.idParams, response: { 204: z.null(), ...errors(400, 401, 403, 404) } } },
      async (req, reply) => {
        await service.delete(userOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
