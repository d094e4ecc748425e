// Machine, run and history endpoints (docs/apps/machines.md §3.5-§3.12). Every route needs a Bearer token (or a raw
// token, §4); each handler makes one service call and wraps the answer in {"status": 1, …}.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../core/core.js';
import { langOf } from '../../core/http/errors.js';
import { errors } from '../../core/http/schemas.js';
import { message } from '../../core/i18n/messages.js';
import type { AccountsService } from './accounts.service.js';
import { ok } from './envelope.js';
import { actorOf, machineGuard, pageHeaders, pageOf } from './http.js';
import * as s from './machines.schemas.js';
import type { MachinesService } from './machines.service.js';
import type { RunsService } from './runs.service.js';

export function machinesRoutes(core: Pick<Platform, 'identity'>, accounts: AccountsService, machines: MachinesService, runs: RunsService): FastifyPluginAsyncZod {
  const guard = machineGuard(core, accounts);
  const security = [{ bearer: [] }];

  return async (app) => {
    const prefix = app.prefix;

    app.get(
      '/api/machines/',
      {
        preValidation: guard,
        schema: {
          summary: '내 기계 목록 (staff: 전체), id 순, page/page_size',
          security,
          querystring: s.pageQuery,
          response: { 200: s.envelope(z.array(s.machineOut)), ...errors(400, 401) },
        },
      },
      async (req, reply) => {
        const page = pageOf(req.query);
        const { items, hasNext } = await machines.list(actorOf(req), page);
        pageHeaders(req, reply, page, hasNext);
        return ok(items);
      },
    );

    app.post(
      '/api/machines/',
      {
        preValidation: guard,
        schema: { summary: '기계 등록', security, body: s.machineBody, response: { 201: s.envelope(s.machineOut), ...errors(400, 401) } },
      },
      async (req, reply) => reply.status(201).send(ok(await machines.create(actorOf(req), req.body))),
    );

    app.get(
      '/api/machines/:id/',
      {
        preValidation: guard,
        schema: { summary: '기계 조회', security, params: s.idParams, response: { 200: s.envelope(s.machineOut), ...errors(401, 403, 404) } },
      },
      async (req) => ok(await machines.get(actorOf(req), req.params.id)),
    );

    app.put(
      '/api/machines/:id/',
      {
        preValidation: guard,
        schema: {
          summary: '기계 수정 (소유자만): name, location 필수; status, endpoint_url 선택',
          security,
          params: s.idParams,
          body: s.updateBody,
          response: { 200: s.envelope(s.machineOut), ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => ok(await machines.update(actorOf(req), req.params.id, req.body)),
    );

    app.delete(
      '/api/machines/:id/',
      {
        preValidation: guard,
        schema: { summary: '기계 삭제 (소유자만, 이력 보존)', security, params: s.idParams, response: { 200: s.messageReply, ...errors(401, 403, 404) } },
      },
      async (req) => {
        await machines.remove(actorOf(req), req.params.id);
        return ok({ message: message('MACHINE_DELETED', langOf(req)) });
      },
    );

    app.post(
      '/api/machines/:id/operation/',
      {
        preValidation: guard,
        schema: {
          summary: 'START/STOP 실행 요청 (202 + run id, 백그라운드 실행)',
          security,
          params: s.idParams,
          body: s.operationBody,
          response: { 202: s.operationReply, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req, reply) => {
        const accepted = await runs.operate(actorOf(req), req.params.id, req.body);
        reply.header('location', `${prefix}/api/machines/${req.params.id}/runs/${accepted.run_id}/`);
        return reply.status(202).send(ok({ ...accepted, message: message('OPERATION_ACCEPTED', langOf(req)) }));
      },
    );

    app.get(
      '/api/machines/:id/runs/:runId/',
      {
        preValidation: guard,
        schema: { summary: '실행(run) 조회', security, params: s.runParams, response: { 200: s.envelope(s.runOut), ...errors(401, 403, 404) } },
      },
      async (req) => ok(await runs.run(actorOf(req), req.params.id, req.params.runId)),
    );

    app.get(
      '/api/machines/:id/history/',
      {
        preValidation: guard,
        schema: {
          summary: '기계 작업 이력 (소유자/staff), 최신순; command, result, from, to, page, page_size',
          security,
          params: s.idParams,
          querystring: s.historyQuery,
          response: { 200: s.envelope(z.array(s.runOut)), ...errors(400, 401, 403, 404) },
        },
      },
      async (req, reply) => {
        const page = pageOf(req.query);
        const { items, hasNext } = await runs.machineHistory(actorOf(req), req.params.id, req.query, page);
        pageHeaders(req, reply, page, hasNext);
        return ok(items);
      },
    );

    for (const path of ['/api/user/machines/history/', '/api/machines/history/']) {
      app.get(
        path,
        {
          preValidation: guard,
          schema: {
            summary:
              path === '/api/machines/history/'
                ? "README 경로 별칭 (원본에서는 404였음)"
                : '내가 내린 명령의 이력 (scope=owned: 내 기계의 이력), 최신순',
            security,
            querystring: s.historyQuery,
            response: { 200: s.envelope(z.array(s.runOut)), ...errors(400, 401) },
          },
        },
        async (req, reply) => {
          const page = pageOf(req.query);
          const { items, hasNext } = await runs.userHistory(actorOf(req), req.query, page);
          pageHeaders(req, reply, page, hasNext);
          return ok(items);
        },
      );
    }
  };
}
