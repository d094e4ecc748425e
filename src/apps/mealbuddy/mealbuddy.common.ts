// Pieces every mealbuddy area shares: Seoul timestamps, form-body coercion, the current-user guard.
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../core/core.js';
import { AppError } from '../../core/errors.js';
import { requireAuth, tokenOf } from '../../core/identity/guard.js';
import type { TokenClaims } from '../../core/identity/tokens.js';
import type { MealbuddyCache } from './mealbuddy.cache.js';
import type { UsersRepository } from './users/users.repository.js';
import type { MbUser } from './users/users.table.js';

export const APP = 'mealbuddy';
/** the original's token lifetime (docs/apps/mealbuddy.md §3), kept sliding by GET /user/current/ */
export const TOKEN_TTL_SECONDS = 24 * 3600;
export const roomTopic = (roomId: number) => `mealbuddy:chat:${roomId}`;
export const memberTopic = (roomId: number, userId: number) => `mealbuddy:chat:${roomId}:user:${userId}`;

const SEOUL_OFFSET_MS = 9 * 3600 * 1000;

/** ISO-8601 in Asia/Seoul with the offset and six fractional digits, as the original emitted. */
export function seoulIso(d: Date): string {
  const s = new Date(d.getTime() + SEOUL_OFFSET_MS).toISOString(); // ...Z, shifted to Seoul wall time
  return `${s.slice(0, 23)}000+09:00`;
}

/** Seoul wall-clock parts (Korea has no daylight saving time). */
export function seoulParts(d: Date): { date: string; hour: number; minute: number } {
  const s = new Date(d.getTime() + SEOUL_OFFSET_MS).toISOString();
  return { date: s.slice(0, 10), hour: Number(s.slice(11, 13)), minute: Number(s.slice(14, 16)) };
}

/** seconds until the next midnight in Seoul */
export function secondsToSeoulMidnight(d: Date): number {
  const ms = (d.getTime() + SEOUL_OFFSET_MS) % 86_400_000;
  return Math.ceil((86_400_000 - ms) / 1000);
}

/** integers from JSON or from form fields (strings) */
export const intField = () =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v), z.number().int());

/** finite floats from JSON or form fields */
export const floatField = () =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v), z.number());

/** booleans from JSON or form fields ("true"/"false"/"1"/"0") */
export const boolField = () =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1') return true;
    if (s === 'false' || s === '0') return false;
    return v;
  }, z.boolean());

/** Korea's bounding box: weather grid coordinates outside it are meaningless */
export const latField = () => floatField().pipe(z.number().min(32).max(43.5));
export const lonField = () => floatField().pipe(z.number().min(124).max(132));

declare module 'fastify' {
  interface FastifyRequest {
    mealbuddyUser?: MbUser;
  }
}

/**
 * Token (header `Token`/`Bearer`, or `?token=` for sockets) → open session → active user. A
 * deactivated user's sessions are revoked, but the is_active check stays as a second line.
 */
export function userGuard(core: Pick<Platform, 'identity'>, users: UsersRepository, cache: MealbuddyCache): preHandlerHookHandler {
  const auth = requireAuth(core.identity, APP);
  // rows are shared between requests through the cache: frozen, so no handler can change one
  const load = async (id: number) => {
    const row = await users.byId(id);
    return row ? Object.freeze(row) : null;
  };
  const slow = async (request: FastifyRequest, reply: FastifyReply) => {
    await auth.call(request.server, request, reply);
    const id = request.principal!.user_id;
    const key = String(id);
    // a user that is gone is cached as null: a hit, not a reason to look again
    const cached = cache.users.peek(key);
    const user = cached !== undefined ? cached : await cache.users.get(key, '', () => load(id));
    if (!user || !user.isActive) throw new AppError('INVALID_TOKEN', 401);
    request.mealbuddyUser = user;
  };
  // When the session and the user are both cached (nearly every request) the guard answers
  // synchronously: no promise, no async frame (docs/performance.md); otherwise it loads them.
  return (request, reply, done) => {
    let claims: TokenClaims | undefined;
    let user: MbUser | null | undefined;
    try {
      const token = tokenOf(request);
      claims = token ? core.identity.authenticateCached(APP, token) : undefined;
      user = claims ? cache.users.peek(String(claims.user_id)) : undefined;
    } catch (err) {
      done(err as Error);
      return;
    }
    if (!claims || user === undefined) return slow(request, reply);
    if (!user || !user.isActive) return done(new AppError('INVALID_TOKEN', 401));
    request.principal = claims;
    request.mealbuddyUser = user;
    done();
  };
}

export function userOf(request: FastifyRequest): MbUser {
  if (!request.mealbuddyUser) throw new AppError('TOKEN_NOT_FOUND', 401);
  return request.mealbuddyUser;
}

/**
 * A bare JSON string body, as the original answered. Fastify sends a string as it is (text/plain,
 * or verbatim under a JSON type), so it is written by the route's own serialiser first.
 */
export function sendText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(reply.serialize(text));
}
