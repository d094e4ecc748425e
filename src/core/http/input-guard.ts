// Runs before validation. A missing body counts as an empty one. PostgreSQL text cannot hold
// U+0000, and a NUL in a name or address is never meant: every body, query and path value is
// checked once here, so no app can reach the database with one (the original answered a 500).
import type { FastifyInstance, preValidationHookHandler } from 'fastify';
import { AppError, type FieldErrors } from '../errors.js';
import { hookList } from './route-hooks.js';

const MAX_DEPTH = 32;

function findNul(value: unknown, path: string, out: FieldErrors, depth = 0): void {
  if (depth > MAX_DEPTH || value === null || value === undefined) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out[path || 'non_field_errors'] = [{ kind: 'code', code: 'NUL_CHARACTER' }];
    return;
  }
  if (Buffer.isBuffer(value) || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => findNul(v, path ? `${path}.${i}` : String(i), out, depth + 1));
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) out[path || 'non_field_errors'] = [{ kind: 'code', code: 'NUL_CHARACTER' }];
    findNul(v, path ? `${path}.${k}` : k, out, depth + 1);
  }
}

export function registerInputGuard(app: FastifyInstance): void {
  // no body, or JSON null, on a route that takes one: validate it as an empty object, so the answer
  // names each missing field instead of one complaint about the whole body (a hook of those routes
  // only: request.routeOptions builds an object on every read, on every GET)
  const emptyBody: preValidationHookHandler = (request, _reply, done) => {
    if (request.body === null || request.body === undefined) request.body = {};
    done();
  };
  app.addHook('onRoute', (route) => {
    if (!route.schema?.body) return;
    route.preValidation = [emptyBody, ...hookList(route.preValidation)];
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const fields: FieldErrors = {};
    findNul(request.body, '', fields);
    findNul(request.query, '', fields);
    findNul(request.params, '', fields);
    if (Object.keys(fields).length) return done(new AppError('VALIDATION_ERROR', 400, fields));
    done();
  });
}
