// Request-side helpers shared by the app's routes: the Bearer guard (which also loads the caller,
// so deleted or deactivated users are refused and staff is known), page headers, the access log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/core.js';
import { pageRequest } from '../../core/db/paging.js';
import { AppError } from '../../core/errors.js';
import { sendError } from '../../core/http/errors.js';
import { MethodIndex } from '../../core/http/method-index.js';
import { tokenOf } from '../../core/identity/guard.js';
import { decorateError } from './envelope.js';
import { APP, type AccountsService } from './accounts.service.js';
import type { MachineLogs } from './logs.js';
import type { Actor, Page } from './machines.service.js';

const actors = new WeakMap<FastifyRequest, Actor>();

export function actorOf(request: FastifyRequest): Actor {
  const a = actors.get(request);
  if (!a) throw new AppError('MACHINE_NOT_AUTHENTICATED', 401);
  return a;
}

/** runs as preValidation, so a missing token is 401 before any body is judged (DRF's order) */
export function machineGuard(core: Pick<Platform, 'identity'>, accounts: AccountsService, opts: { allowQuery?: boolean } = {}) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = tokenOf(request, opts.allowQuery);
    if (!token) throw new AppError('MACHINE_NOT_AUTHENTICATED', 401, undefined, undefined, { 'www-authenticate': 'Bearer realm="api"' });
    try {
      const claims = await core.identity.authenticate(APP, token);
      const user = await accounts.activeUser(claims.user_id);
      request.principal = claims;
      actors.set(request, { id: user.id, isStaff: user.isStaff });
    } catch (err) {
      if (err instanceof AppError && err.status === 401) {
        throw new AppError(err.code, 401, undefined, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });
      }
      throw err;
    }
  };
}

export function pageOf(q: { page?: string; page_size?: string }, size = 100, max = 1000): Page {
  return pageRequest(q.page, q.page_size, { size, max });
}

/** lists keep the original's bare array in `result`; paging travels in headers */
export function pageHeaders(request: FastifyRequest, reply: FastifyReply, page: Page, hasNext: boolean): void {
  reply.header('x-page', String(page.page));
  reply.header('x-page-size', String(page.pageSize));
  reply.header('x-has-next', hasNext ? 'true' : 'false');
  const links: string[] = [];
  const at = (n: number) => {
    const u = new URL(request.url, 'http://x');
    u.searchParams.set('page', String(n));
    u.searchParams.set('page_size', String(page.pageSize));
    return `${u.pathname}${u.search}`;
  };
  if (hasNext) links.push(`<${at(page.page + 1)}>; rel="next"`);
  if (page.page > 1) links.push(`<${at(page.page - 1)}>; rel="prev"`);
  if (links.length) reply.header('link', links.join(', '));
}

/** server.log: one JSON line per request of this app (never the query string: it may hold a token) */
export function accessLog(app: FastifyInstance, logs: MachineLogs): void {
  const server = logs.server;
  if (!server) return;
  app.addHook('onResponse', async (request, reply) => {
    server.info({
      method: request.method,
      path: request.url.split('?')[0],
      route: request.routeOptions.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ip: request.ip,
      user_id: actors.get(request)?.id,
      request_id: request.id,
    });
  });
}

/**
 * 404/405 for unmatched paths under this app, with the legacy status/error_code. Fastify allows one
 * not-found handler per prefix: mounted alone at '/', the core's handler answers instead, with this
 * app's error decorator (app.ts hands it to the server).
 */
export function legacyNotFound(app: FastifyInstance): void {
  if (!app.prefix) return;
  const methods = new MethodIndex();
  app.addHook('onRoute', (route) => methods.add(route.method, route.url));
  app.setNotFoundHandler((request, reply) => {
    const allowed = methods.allowed(request.url.split('?')[0] ?? '/');
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      return sendError(new AppError('METHOD_NOT_ALLOWED', 405), request, reply, decorateError);
    }
    return sendError(new AppError('NOT_FOUND', 404), request, reply, decorateError);
  });
}
