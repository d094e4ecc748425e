// Shop-floor endpoints (docs/apps/machines.md §10.6): connection, telemetry, floor view, alarm
// rules and alarms. Same guard and envelope as the rest of the machines API.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../../core/core.js';
import { errors } from '../../../core/http/schemas.js';
import type { AccountsService } from '../accounts.service.js';
import { ok } from '../envelope.js';
import { actorOf, machineGuard, pageHeaders, pageOf } from '../http.js';
import { envelope, idParams, messageReply } from '../machines.schemas.js';
import * as s from './floor.schemas.js';
import type { FloorService } from './floor.service.js';

export function floorRoutes(core: Pick<Platform, 'identity'>, accounts: AccountsService, floor: FloorService): FastifyPluginAsyncZod {
  const guard = machineGuard(core, accounts);
  const security = [{ bearer: [] }];
  return async (app) => {
    app.get(
      '/api/machines/floor/',
      {
        preValidation: guard,
        schema: {
          summary: '현장 보기: 내 기계의 상태, 최신 측정값, 오늘 생산 수량, 활성 경보 수',
          security,
          querystring: s.floorQuery,
          response: { 200: envelope(s.floorOut), ...errors(400, 401) },
        },
      },
      async (req) => ok(await floor.floor(actorOf(req), req.query)),
    );

    app.get(
      '/api/machines/:id/connection/',
      {
        preValidation: guard,
        schema: { summary: '기계 연결 설정 조회 (소유자, 비밀번호 제외)', security, params: idParams, response: { 200: envelope(s.connectionOut), ...errors(401, 403, 404) } },
      },
      async (req) => ok(await floor.getConnection(actorOf(req), req.params.id)),
    );

    app.put(
      '/api/machines/:id/connection/',
      {
        preValidation: guard,
        schema: {
          summary: '기계 연결 설정 (OPC UA opc.tcp:// 또는 MQTT mqtt://, 허용 호스트만)',
          security,
          params: idParams,
          body: z.looseObject({}).nullish(),
          response: { 200: envelope(s.connectionOut), ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => ok(await floor.putConnection(actorOf(req), req.params.id, req.body)),
    );

    app.delete(
      '/api/machines/:id/connection/',
      {
        preValidation: guard,
        schema: { summary: '기계 연결 설정 삭제 (기본 드라이버로 돌아감)', security, params: idParams, response: { 200: messageReply, ...errors(401, 403, 404) } },
      },
      async (req) => {
        await floor.deleteConnection(actorOf(req), req.params.id);
        return ok({ message: 'connection deleted' });
      },
    );

    app.post(
      '/api/machines/:id/telemetry/',
      {
        preValidation: guard,
        bodyLimit: 512 * 1024,
        schema: {
          summary: '측정값 일괄 입력 (게이트웨이, 소유자, 최대 1000개)',
          security,
          params: idParams,
          body: s.ingestBody,
          response: { 201: envelope(s.ingestOut), ...errors(400, 401, 403, 404) },
        },
      },
      async (req, reply) => reply.status(201).send(ok(await floor.ingest(actorOf(req), req.params.id, req.body.readings))),
    );

    app.get(
      '/api/machines/:id/telemetry/',
      {
        preValidation: guard,
        schema: {
          summary: '측정값 차트: from/to (최대 92일, 기본 24시간), bucket 초; 사이클 타임, 시간당 생산, 온도, 가동률',
          security,
          params: idParams,
          querystring: s.seriesQuery,
          response: { 200: envelope(s.seriesOut), ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => ok(await floor.series(actorOf(req), req.params.id, req.query)),
    );

    app.get(
      '/api/machines/:id/alarm-rules/',
      {
        preValidation: guard,
        schema: { summary: '경보 규칙 목록', security, params: idParams, response: { 200: envelope(z.array(s.ruleOut)), ...errors(401, 403, 404) } },
      },
      async (req) => ok(await floor.rules(actorOf(req), req.params.id)),
    );

    app.post(
      '/api/machines/:id/alarm-rules/',
      {
        preValidation: guard,
        schema: {
          summary: '경보 규칙 추가 (threshold, out_of_range, no_data, state_error; 소유자, 기계당 최대 50개)',
          security,
          params: idParams,
          body: s.ruleBody,
          response: { 201: envelope(s.ruleOut), ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req, reply) => reply.status(201).send(ok(await floor.addRule(actorOf(req), req.params.id, req.body))),
    );

    app.delete(
      '/api/machines/:id/alarm-rules/:ruleId/',
      {
        preValidation: guard,
        schema: { summary: '경보 규칙 삭제 (그 규칙의 경보 이력도 삭제)', security, params: s.ruleParams, response: { 200: messageReply, ...errors(401, 403, 404) } },
      },
      async (req) => {
        await floor.deleteRule(actorOf(req), req.params.id, req.params.ruleId);
        return ok({ message: 'rule deleted' });
      },
    );

    app.get(
      '/api/machines/:id/alarms/',
      {
        preValidation: guard,
        schema: {
          summary: '경보 이력 (최신순), active=true|false',
          security,
          params: idParams,
          querystring: s.alarmsQuery,
          response: { 200: envelope(z.array(s.alarmOut)), ...errors(400, 401, 403, 404) },
        },
      },
      async (req, reply) => {
        const page = pageOf(req.query, 100, 500);
        const active = req.query.active === undefined ? undefined : req.query.active === 'true';
        const { items, hasNext } = await floor.alarms(actorOf(req), req.params.id, active, page);
        pageHeaders(req, reply, page, hasNext);
        return ok(items);
      },
    );

    app.post(
      '/api/machines/:id/alarms/:alarmId/ack/',
      {
        preValidation: guard,
        schema: { summary: '경보 확인 (소유자)', security, params: s.alarmParams, response: { 200: envelope(s.alarmOut), ...errors(401, 403, 404) } },
      },
      async (req) => ok(await floor.acknowledge(actorOf(req), req.params.id, req.params.alarmId)),
    );
  };
}
