// Sessions and token pairs for every app: login opens a session (a token family), refresh rotates
// the refresh token atomically, presenting an already-rotated refresh token revokes the family,
// logout revokes it. The access-token guard checks the session on every request.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Registry } from 'prom-client';
import type { WithSubquery } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { PubSub } from '../realtime/pubsub.js';
import { SharedCache } from '../realtime/shared-cache.js';
import { sessions } from './sessions.table.js';
import { TokenCodec, type TokenClaims } from './tokens.js';

/** how far past a reissued token its session row is extended, so reissues soon after write nothing */
const EXTEND_AHEAD_S = 300;
const EXTENDED_MAX = 100_000;

export interface TokenPair {
  access: string;
  refresh: string;
  accessClaims: TokenClaims;
  refreshClaims: TokenClaims;
}

export interface IdentityOptions {
  secret: string;
  accessTtl: number;
  refreshTtl: number;
}

export class Identity {
  readonly codec: TokenCodec;
  /** sid → still open? Revocations invalidate it on every instance. */
  private open: SharedCache<boolean>;
  /** sid → the expiry (epoch seconds) this process has written, or is writing, for the session */
  private readonly extendedTo = new Map<string, Promise<number>>();

  constructor(private readonly db: Db, readonly opts: IdentityOptions, pubsub: PubSub, metrics?: Registry) {
    this.codec = new TokenCodec(opts.secret);
    this.open = new SharedCache('sessions', pubsub, { ttlMs: 60_000, max: 100_000, metrics });
  }

  /** Opens a session; `db` may be the caller's transaction, so that the login's writes commit once. */
  /**
   * Opens a session. `alongside`: the caller's own writes of the login (the user's last_login, a
   * rehashed password) as a data-modifying CTE, run by the same INSERT statement: one statement
   * and one commit per login (on the embedded database each statement is the event loop's own work
   * and each commit an fsync; the login's ~0.6 ms of transaction became ~0.3, docs/performance.md).
   */
  async login(app: string, userId: number, extra: Record<string, unknown> = {}, db: Db = this.db, alongside?: WithSubquery): Promise<TokenPair> {
    const sid = randomUUID();
    const pair = this.pair(app, userId, sid, extra);
    const row = { id: sid, app, userId, refreshJti: pair.refreshClaims.jti, expiresAt: new Date(pair.refreshClaims.exp * 1000) };
    await (alongside ? db.with(alongside).insert(sessions).values(row) : db.insert(sessions).values(row));
    // the new row lives until the refresh token's expiry: an access token reissued right after the
    // login (mealbuddy's) that ends before it needs no second write
    if (this.extendedTo.size >= EXTENDED_MAX) this.extendedTo.clear();
    this.extendedTo.set(sid, Promise.resolve(pair.refreshClaims.exp));
    return pair;
  }

  /** Rotates a refresh token. A refresh token that was already rotated revokes its family. */
  async refresh(app: string, refreshToken: string, extra: Record<string, unknown> = {}): Promise<TokenPair> {
    const claims = this.codec.verify(app, refreshToken, 'refresh');
    const next = this.pair(app, claims.user_id, claims.sid, extra);
    const rotated = await this.db
      .update(sessions)
      .set({
        refreshJti: next.refreshClaims.jti,
        refreshedAt: new Date(),
        expiresAt: new Date(next.refreshClaims.exp * 1000),
      })
      .where(and(eq(sessions.id, claims.sid), eq(sessions.refreshJti, claims.jti), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    if (rotated.length === 1) return next;
    // Either the family is already revoked, or this token was rotated before: a replay.
    await this.revoke(claims.sid, 'refresh-reuse');
    throw new AppError('INVALID_TOKEN', 401);
  }

  /**
   * A fresh access token in an existing session (sliding sessions: an app that re-issues
   * on every page load); the session row lives at least as long as its newest token.
   */
  async reissueAccess(app: string, userId: number, sid: string, ttlSeconds: number) {
    const issued = this.codec.issue(app, 'access', userId, sid, ttlSeconds);
    const exp = issued.claims.exp;
    // A front end that reissues on every page load would otherwise write the same session row on
    // every call (one row, locked per write: 1 % of bare node:http, docs/performance.md). The row
    // is extended EXTEND_AHEAD_S past the token, so the calls in the next minutes write nothing.
    const known = this.extendedTo.get(sid);
    if (known !== undefined && (await known.catch(() => 0)) >= exp) return issued;
    const target = exp + EXTEND_AHEAD_S;
    const write = this.db
      .update(sessions)
      .set({ expiresAt: sql`greatest(${sessions.expiresAt}, ${new Date(target * 1000)})` })
      .where(and(eq(sessions.id, sid), isNull(sessions.revokedAt)))
      .then(() => target);
    if (this.extendedTo.size >= EXTENDED_MAX) this.extendedTo.clear();
    this.extendedTo.set(sid, write);
    try {
      await write;
    } catch (err) {
      if (this.extendedTo.get(sid) === write) this.extendedTo.delete(sid);
      throw err;
    }
    return issued;
  }

  /**
   * authenticate without a promise when the session's state is cached (the hot path of a guard):
   * the claims, undefined when the session must be looked up (call authenticate), or a 401 thrown.
   */
  authenticateCached(app: string, token: string): TokenClaims | undefined {
    const claims = this.codec.verify(app, token, 'access');
    const open = this.open.peek(claims.sid);
    if (open === undefined) return undefined;
    if (!open) throw new AppError('INVALID_TOKEN', 401);
    return claims;
  }

  /** Verifies an access token and that its session is still open. */
  async authenticate(app: string, token: string): Promise<TokenClaims> {
    const claims = this.codec.verify(app, token, 'access');
    const open = this.open.peek(claims.sid) ?? (await this.open.get(claims.sid, () => this.sessionOpen(claims.sid)));
    if (!open) throw new AppError('INVALID_TOKEN', 401);
    return claims;
  }

  private async sessionOpen(sid: string): Promise<boolean> {
    const rows = await this.db.select({ revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.id, sid)).limit(1);
    return rows.length === 1 && !rows[0]!.revokedAt;
  }

  async revoke(sid: string, reason: string): Promise<void> {
    await this.db
      .update(sessions)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where(and(eq(sessions.id, sid), isNull(sessions.revokedAt)));
    await this.open.invalidate(sid);
  }

  async revokeAllForUser(app: string, userId: number, reason: string): Promise<void> {
    const revoked = await this.db
      .update(sessions)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where(and(eq(sessions.app, app), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    await Promise.all(revoked.map((r) => this.open.invalidate(r.id)));
  }

  /** Removes sessions that expired more than a day ago (called by a periodic sweep). */
  async purgeExpired(): Promise<number> {
    const gone = await this.db
      .delete(sessions)
      .where(sql`${sessions.expiresAt} < now() - interval '1 day'`)
      .returning({ id: sessions.id });
    return gone.length;
  }

  private pair(app: string, userId: number, sid: string, extra: Record<string, unknown>): TokenPair {
    const a = this.codec.issue(app, 'access', userId, sid, this.opts.accessTtl, extra);
    const r = this.codec.issue(app, 'refresh', userId, sid, this.opts.refreshTtl, extra);
    return { access: a.token, refresh: r.token, accessClaims: a.claims, refreshClaims: r.claims };
  }
}
