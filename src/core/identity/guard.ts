// Route guards. requireAuth(identity, app) verifies the access token (header or ?token=) and its
// session, then puts the claims on request.principal. Public routes ignore any header.
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '../errors.js';
import type { Identity } from './identity.service.js';
import { tokenFromHeader, type TokenClaims } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: TokenClaims;
  }
}

export function tokenOf(request: FastifyRequest, allowQuery = false): string {
  const fromHeader = tokenFromHeader(request.headers.authorization);
  if (fromHeader) return fromHeader;
  if (allowQuery) {
    const q = (request.query as Record<string, unknown> | undefined)?.token;
    if (typeof q === 'string') return q;
  }
  return '';
}

export function requireAuth(identity: Identity, app: string, opts: { allowQuery?: boolean } = {}): preHandlerAsyncHookHandler {
  return async (request) => {
    const token = tokenOf(request, opts.allowQuery);
    if (!token) throw new AppError('TOKEN_NOT_FOUND', 401);
    request.principal = await identity.authenticate(app, token);
  };
}

/** Like requireAuth, but a request without a token proceeds anonymously; a bad token is still 401. */
export function optionalAuth(identity: Identity, app: string): preHandlerAsyncHookHandler {
  return async (request) => {
    const token = tokenOf(request);
    if (token) request.principal = await identity.authenticate(app, token);
  };
}

export function principalOf(request: FastifyRequest): TokenClaims {
  if (!request.principal) throw new AppError('TOKEN_NOT_FOUND', 401);
  return request.principal;
}
