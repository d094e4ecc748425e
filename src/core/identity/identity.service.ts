// Sessions and token pairs for every app: login opens a session (a token family), refresh rotates
// the refresh token atomically, presenting an already-rotated refresh token revokes the family,
// logout revokes it. The access-token guard checks the session on every request.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { sessions } from './sessions.table.js';
import { TokenCodec, type TokenClaims } from './tokens.js';

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

  constructor(private readonly db: Db, readonly opts: IdentityOptions) {
    this.codec = new TokenCodec(opts.secret);
  }

  async login(app: string, userId: number, extra: Record<string, unknown> = {}): Promise<TokenPair> {
    const sid = randomUUID();
    const pair = this.pair(app, userId, sid, extra);
    await this.db.insert(sessions).values({
      id: sid,
      app,
      userId,
      refreshJti: pair.refreshClaims.jti,
      expiresAt: new Date(pair.refreshClaims.exp * 1000),
    });
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

  /** Verifies an access token and that its session is still open. */
  async authenticate(app: string, token: string): Promise<TokenClaims> {
    const claims = this.codec.verify(app, token, 'access');
    const rows = await this.db
      .select({ revokedAt: sessions.revokedAt })
      .from(sessions)
      .where(eq(sessions.id, claims.sid))
      .limit(1);
    if (rows.length === 0 || rows[0]!.revokedAt) throw new AppError('INVALID_TOKEN', 401);
    return claims;
  }

  async revoke(sid: string, reason: string): Promise<void> {
    await this.db
      .update(sessions)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where(and(eq(sessions.id, sid), isNull(sessions.revokedAt)));
  }

  async revokeAllForUser(app: string, userId: number, reason: string): Promise<void> {
    await this.db
      .update(sessions)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where(and(eq(sessions.app, app), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  }

  /** Removes sessions that expired more than a day ago (called by a periodic sweep). */
  async purgeExpired(): Promise<void> {
    await this.db.delete(sessions).where(sql`${sessions.expiresAt} < now() - interval '1 day'`);
  }

  private pair(app: string, userId: number, sid: string, extra: Record<string, unknown>): TokenPair {
    const a = this.codec.issue(app, 'access', userId, sid, this.opts.accessTtl, extra);
    const r = this.codec.issue(app, 'refresh', userId, sid, this.opts.refreshTtl, extra);
    return { access: a.token, refresh: r.token, accessClaims: a.claims, refreshClaims: r.claims };
  }
}
