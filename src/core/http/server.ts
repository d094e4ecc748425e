// The Fastify instance with every cross-cutting concern, in order: request ids and metrics,
// security headers, CORS, rate limits, body parsers, WebSocket, OpenAPI, errors, 404/405.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Core } from '../core.js';
import { AppError } from '../errors.js';
import { lazyChildLogger } from '../observability/lazy-child.js';
import { histogramSeries } from '../observability/metrics.js';
import { registerOpenApi } from './docs.js';
import { clientErrorHandler } from './client-error.js';
import { sendError, type ErrorDecorator } from './errors.js';
import { registerInputGuard } from './input-guard.js';
import { hookList } from './route-hooks.js';
import { MethodIndex } from './method-index.js';
import { isDocument, securityHeaders } from './security-headers.js';
import { serializerCompiler } from './serializer.js';
import { installZodErrorMap } from './validation.js';

const REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * At most `cap` open connections per client address (0: no cap); beyond it a new connection is
 * closed at once, before any byte is read. Counted per process, on the socket's own address.
 */
function capConnectionsPerAddress(server: Server, cap: number): void {
  if (cap <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const n = (open.get(address) ?? 0) + 1;
    if (n > cap) {
      socket.destroy();
      return;
    }
    open.set(address, n);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

function trustHops(hops: number): false | ((address: string, hop: number) => boolean) {
  return hops > 0 ? (_address, hop) => hop < hops : false;
}

/**
 * UUID-shaped request ids without a random draw per request (randomUUID's refills of its entropy
 * pool were 1 % of a cached read): a random prefix per process and a counter. They name a request in
 * the logs and in a 5xx answer; nothing relies on them being unguessable.
 */
export function requestIds(): () => string {
  const prefix = randomUUID().slice(0, 24);
  let n = randomBytes(4).readUInt32BE(0);
  return () => prefix + (n++ % 2 ** 48).toString(16).padStart(12, '0');
}

export interface ServerOptions {
  /** the legacy error shape of an app served alone at '/': unmatched paths and parser refusals get it too */
  decorate?: ErrorDecorator;
}

export async function createServer(core: Core, appNames: string[], opts: ServerOptions = {}): Promise<FastifyInstance> {
  installZodErrorMap();
  const { config } = core;
  const nextRequestId = requestIds();
  const app = Fastify({
    loggerInstance: core.logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT,
    // a hop count believes that many X-Forwarded-For entries from the right (the ones our proxies
    // wrote), an address list only entries added by those proxies (issue 15 #1, docs/security.md)
    trustProxy: typeof config.TRUST_PROXY === 'number' ? trustHops(config.TRUST_PROXY) : config.TRUST_PROXY,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 200 },
    requestIdHeader: false,
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && REQUEST_ID.test(h) ? h : nextRequestId();
    },
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    clientErrorHandler: clientErrorHandler(opts.decorate),
    // on close: stop accepting, drop idle keep-alive sockets, let in-flight requests finish
    forceCloseConnections: 'idle',
    // slow clients (issue 15 #9, docs/security.md): a request whose headers are not in after
    // HEADERS_TIMEOUT_MS, or that is not complete after REQUEST_TIMEOUT_MS, is answered 408 and
    // closed; Node checks every second (its default, 30 s, let half-sent requests pile up)
    serverFactory: (handler) => {
      const server = createHttpServer(
        { headersTimeout: config.HEADERS_TIMEOUT_MS, requestTimeout: config.REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
        handler,
      );
      capConnectionsPerAddress(server, config.CONNECTIONS_PER_IP);
      return server;
    },
  });
  // bodies are JSON, urlencoded or multipart, as the originals accepted; anything else is 415
  app.removeContentTypeParser('text/plain');
  // an empty JSON body is an empty form: validation then names each missing field
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: config.BODY_LIMIT }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    parseJson(request, text, done);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const methods = new MethodIndex();
  app.addHook('onRoute', (route) => methods.add(route.method, route.url));

  // one hook per step for what every request gets: each hook is a step of every request
  const { api, page } = securityHeaders();
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    reply.headers(api);
    done();
  });
  // While closing, every reply (including those in flight when SIGTERM came) ends its keep-alive
  // connection; otherwise an idle client connection holds close() open for keepAliveTimeout.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    if (isDocument(reply.getHeader('content-type'))) reply.headers(page);
    done(null, payload);
  });
  // Latency per route: each route gets its own onResponse hook, which knows its route and keeps one
  // series per status code (request.routeOptions builds an object on every read, and prom-client
  // hashes the labels on every observe: together a twentieth of a cached read). Answers without a
  // route (404s, 405s) are counted by the not-found handler's hook below.
  const observed = (route: string) => {
    const series = new Map<string, (seconds: number) => void>();
    return (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const key = `${request.method} ${reply.statusCode}`;
      let observe = series.get(key);
      if (!observe) {
        observe = histogramSeries(core.metrics.httpDuration, { method: request.method, route, status_code: String(reply.statusCode) });
        series.set(key, observe);
      }
      observe(reply.elapsedTime / 1000);
      if (reply.statusCode >= 500 || core.logger.isLevelEnabled('debug')) {
        request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
      }
      done();
    };
  };
  app.addHook('onRoute', (route) => {
    route.onResponse = [...hookList(route.onResponse), observed(route.url)] as typeof route.onResponse;
  });
  const unmatched = observed('unmatched');
  app.addHook('onResponse', (request, reply, done) => (request.is404 ? unmatched(request, reply, done) : done()));

  await app.register(cors, {
    origin: config.CORS_ORIGINS.includes('*') ? true : config.CORS_ORIGINS,
    credentials: !config.CORS_ORIGINS.includes('*'),
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  await app.register(rateLimit, {
    global: config.RATE_LIMIT_ENABLED,
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    ...(core.redis ? { redis: core.redis, nameSpace: `${config.REDIS_PREFIX}:rl:` } : {}),
    skipOnError: true, // Redis down: serve without limits rather than fail every request
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', 429, undefined, undefined, { 'retry-after': String(Math.ceil(ctx.ttl / 1000)) }),
  });
  await app.register(formbody, { bodyLimit: config.BODY_LIMIT });
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: config.UPLOAD_LIMIT, files: 10, fields: 50, fieldSize: 100 * 1024, parts: 60 },
  });
  registerInputGuard(app); // after multipart, whose fields are attached in its own preValidation
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    errorHandler: (error, socket, request) => {
      // a client breaking the protocol (an oversized frame: 1009, bad UTF-8: 1007) or vanishing is
      // the client's doing: ws has already sent the close code; nothing here to log as an error
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && (code.startsWith('WS_ERR_') || code === 'ECONNRESET' || code === 'EPIPE')) {
        request.log.info({ code }, 'websocket closed by a client error');
        return;
      }
      request.log.error({ err: error }, 'websocket handler failed');
      socket.terminate();
    },
    // 1001 "going away" tells clients to reconnect (to another instance) rather than give up
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down');
      done();
    },
  });
  await app.register(underPressure, {
    maxEventLoopDelay: config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
    maxEventLoopUtilization: config.OVERLOAD_MAX_ELU,
    retryAfter: 5,
    exposeStatusRoute: false,
    // a rejected promise reaches the error handler, so overload answers in the usual envelope
    pressureHandler: async () => {
      throw new AppError('SERVICE_UNAVAILABLE', 503, undefined, undefined, { 'retry-after': '5' });
    },
  });
  await registerOpenApi(app, appNames);

  app.setErrorHandler((err, request, reply) => sendError(err, request, reply, opts.decorate));
  app.setNotFoundHandler((request, reply) => {
    const allowed = methods.allowed(request.url.split('?')[0] ?? '/');
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      return sendError(new AppError('METHOD_NOT_ALLOWED', 405), request, reply, opts.decorate);
    }
    return sendError(new AppError('NOT_FOUND', 404), request, reply, opts.decorate);
  });
  return app as unknown as FastifyInstance;
}
