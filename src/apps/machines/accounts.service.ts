// Accounts of the machines app on core identity (docs/apps/machines.md §3.1-§3.4), with §9.4 and §9.13 fixed:
// sign-up cannot grant privileges, tokens rotate and logout revokes the session.
import { AppError, isUniqueViolation, uniqueConstraintOf, type FieldErrors } from '../../core/errors.js';
import type { Identity } from '../../core/identity/identity.service.js';
import { dummyHash, hashPassword, verifyPassword } from '../../core/identity/password.js';
import { normalizeUsername } from '../../core/identity/username.js';
import type { UsersRepository } from './machines.repository.js';
import type { SignUpInput } from './machines.schemas.js';
import type { MachineUser } from './machines.table.js';
import { userJson } from './serialize.js';

export const APP = 'machines';

export interface Session {
  user: ReturnType<typeof userJson>;
  token: { access: string; refresh: string };
}

export class AccountsService {
  constructor(private readonly users: UsersRepository, private readonly identity: Identity) {}

  async signUp(input: SignUpInput): Promise<Session> {
    const username = normalizeUsername(input.username);
    const email = input.email.normalize('NFKC');
    await this.refuseTaken(username, email);
    const passwordHash = await hashPassword(input.password);
    let user: MachineUser;
    try {
      user = await this.users.insert({
        username,
        email,
        passwordHash,
        firstName: input.first_name ?? '',
        lastName: input.last_name ?? '',
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const field = uniqueConstraintOf(err).includes('email') ? 'email' : 'username';
      throw taken({ [field]: [{ kind: 'code', code: `MACHINE_${field.toUpperCase()}_TAKEN` }] });
    }
    return this.open(user);
  }

  /** the superuser of seed-demo is created here, never through sign-up */
  async createUser(input: SignUpInput & { staff?: boolean }): Promise<MachineUser> {
    const existing = await this.users.byUsername(input.username);
    if (existing) return existing;
    return this.users.insert({
      username: input.username,
      email: input.email,
      passwordHash: await hashPassword(input.password),
      firstName: input.first_name ?? '',
      lastName: input.last_name ?? '',
      isStaff: input.staff ?? false,
      isSuperuser: input.staff ?? false,
    });
  }

  async logIn(username: string, password: string): Promise<Session> {
    const user = await this.users.byUsername(normalizeUsername(username));
    if (!user) {
      await verifyPassword(await dummyHash(), password);
      throw new AppError('MACHINE_INVALID_CREDENTIALS', 401);
    }
    const check = await verifyPassword(user.passwordHash, password);
    if (!check.ok || !user.isActive) throw new AppError('MACHINE_INVALID_CREDENTIALS', 401);
    const updated = await this.users.recordLogin(user.id, check.needsRehash ? await hashPassword(password) : undefined);
    return this.open(updated);
  }

  /**
   * GET /api/log-in/: who the access cookie belongs to; when it has expired, a valid refresh
   * cookie rotates both tokens (the original's "silent refresh", answering 401 instead of its
   * 400/500 when the refresh cookie is missing or bad).
   */
  async whoAmI(access: string | undefined, refresh: string | undefined) {
    if (access) {
      try {
        const claims = await this.identity.authenticate(APP, access);
        return { user: userJson(await this.activeUser(claims.user_id)) };
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'TOKEN_EXPIRED') throw err;
      }
    } else if (!refresh) {
      throw new AppError('MACHINE_NOT_AUTHENTICATED', 401);
    }
    if (!refresh) throw new AppError('TOKEN_EXPIRED', 401);
    const pair = await this.refresh(refresh);
    return { user: pair.user, renewed: pair.token };
  }

  async refresh(refreshToken: string | undefined): Promise<Session> {
    if (!refreshToken) throw new AppError('TOKEN_NOT_FOUND', 401);
    const pair = await this.identity.refresh(APP, refreshToken);
    const user = await this.activeUser(pair.accessClaims.user_id).catch(async (err: unknown) => {
      await this.identity.revoke(pair.accessClaims.sid, 'user-inactive');
      throw err;
    });
    return { user: userJson(user), token: { access: pair.access, refresh: pair.refresh } };
  }

  /** revokes whichever session the caller proves (access or refresh token); never fails */
  async logOut(tokens: Array<string | undefined>): Promise<void> {
    for (const token of tokens) {
      if (!token) continue;
      for (const type of ['access', 'refresh'] as const) {
        try {
          const claims = this.identity.codec.verify(APP, token, type);
          await this.identity.revoke(claims.sid, 'logout');
          return;
        } catch {
          // not this kind of token, or expired: try the next
        }
      }
    }
  }

  async activeUser(id: number): Promise<MachineUser> {
    const u = await this.users.byId(id);
    if (!u || !u.isActive) throw new AppError('INVALID_TOKEN', 401);
    return u;
  }

  private async open(user: MachineUser): Promise<Session> {
    const pair = await this.identity.login(APP, user.id);
    return { user: userJson(user), token: { access: pair.access, refresh: pair.refresh } };
  }

  private async refuseTaken(username: string, email: string): Promise<void> {
    const t = await this.users.taken(username, email);
    const fields: FieldErrors = {};
    if (t.username) fields.username = [{ kind: 'code', code: 'MACHINE_USERNAME_TAKEN' }];
    if (t.email) fields.email = [{ kind: 'code', code: 'MACHINE_EMAIL_TAKEN' }];
    if (Object.keys(fields).length) throw taken(fields);
  }
}

const taken = (fields: FieldErrors) => new AppError('VALIDATION_ERROR', 400, fields);
