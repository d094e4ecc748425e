// Sign-up, login and token rules of seed 003, with docs/apps/auth.md §9's pitfalls fixed: any number of users,
// USER_ALREADY_EXISTS from the unique index (race-safe), a real Bearer guard, refresh rotation and
// logout, inactive users refused, last_login kept.
import { AppError, isUniqueViolation, uniqueConstraintOf } from '../../core/errors.js';
import type { Identity } from '../../core/identity/identity.service.js';
import type { SharedCache } from '../../core/realtime/shared-cache.js';
import { dummyHash, hashPassword, verifyPassword } from '../../core/identity/password.js';
import { normalizeUsername } from '../../core/identity/username.js';
import type { AuthRepository } from './auth.repository.js';
import type { AuthUser } from './auth.table.js';

export const APP = 'auth';

export class AuthService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly identity: Identity,
    /** user rows by id for the guarded hot path (/api/me/); dropped on every change */
    private readonly users: SharedCache<AuthUser | null>,
  ) {}

  async signup(input: { username: string; password: string; nickname: string }) {
    const username = normalizeUsername(input.username);
    const passwordHash = await hashPassword(input.password);
    try {
      const user = await this.repo.insert({ username, passwordHash, nickname: input.nickname });
      return { username: user.username, nickname: user.nickname };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const field = uniqueConstraintOf(err).includes('nickname') ? 'nickname' : 'username';
      throw new AppError('USER_ALREADY_EXISTS', 409, { [field]: [{ kind: 'code', code: `${field.toUpperCase()}_TAKEN` }] });
    }
  }

  async login(input: { username: string; password: string }) {
    const user = await this.repo.byUsername(normalizeUsername(input.username));
    if (!user) {
      await verifyPassword(await dummyHash(), input.password);
      throw new AppError('INVALID_CREDENTIALS', 401);
    }
    const check = await verifyPassword(user.passwordHash, input.password);
    if (!check.ok || !user.isActive) throw new AppError('INVALID_CREDENTIALS', 401);
    const pair = await this.identity.login(APP, user.id, {}, undefined, this.repo.loginWrite(user.id, check.needsRehash ? await hashPassword(input.password) : undefined));
    await this.users.invalidate(String(user.id));
    return { token: pair.access, refresh: pair.refresh };
  }

  /** POST /api/verify/: the three TOKEN_* answers of the README, without the original's 500s. */
  async verify(token: string | null | undefined) {
    if (!token) throw new AppError('TOKEN_NOT_FOUND', 401);
    const claims = await this.identity.authenticate(APP, token);
    await this.activeUser(claims.user_id);
    return { message: 'TOKEN_VALID' };
  }

  async me(userId: number) {
    const u = await this.activeUser(userId);
    return {
      id: u.id,
      username: u.username,
      nickname: u.nickname,
      created_at: u.createdAt.toISOString(),
      last_login: u.lastLogin ? u.lastLogin.toISOString() : null,
    };
  }

  async refresh(refreshToken: string | undefined) {
    if (!refreshToken) throw new AppError('TOKEN_NOT_FOUND', 401);
    const pair = await this.identity.refresh(APP, refreshToken);
    await this.activeUser(pair.accessClaims.user_id).catch(async (err: unknown) => {
      await this.identity.revoke(pair.accessClaims.sid, 'user-inactive');
      throw err;
    });
    return { token: pair.access, refresh: pair.refresh };
  }

  async logout(sid: string) {
    await this.identity.revoke(sid, 'logout');
  }

  private async activeUser(id: number): Promise<AuthUser> {
    const key = String(id);
    // a user that is gone is cached as null: a hit, not a reason to look again
    const cached = this.users.peek(key);
    const u = cached !== undefined ? cached : await this.users.get(key, async () => (await this.repo.byId(id)) ?? null);
    if (!u || !u.isActive) throw new AppError('INVALID_TOKEN', 401);
    return u;
  }
}
