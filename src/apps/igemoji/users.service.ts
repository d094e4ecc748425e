// Sign-up, login and token answers (docs/apps/igemoji.md §5.1–5.3, §5.9), with the pitfalls fixed: rules checked on
// the server (§11.13), 409 on duplicates from the unique indexes (race-safe), refresh tokens (§11.14), a
// real GET token check (§11.3). The token carries the original's `id` (string) and `alias` claims,
// which the original front end decodes.
import { AppError, isUniqueViolation, uniqueConstraintOf, type FieldErrors } from '../../core/errors.js';
import type { Identity } from '../../core/identity/identity.service.js';
import { dummyHash, hashPassword, verifyPassword } from '../../core/identity/password.js';
import type { TokenClaims } from '../../core/identity/tokens.js';
import type { UsersRepository } from './users.repository.js';

export const APP = 'igemoji';

const EMAIL_RE = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const PASSWORD_RE = /^(?=.*[A-Za-z])(?=.*\d)(?=.*[!@#$%^*+=-])[A-Za-z\d!@#$%^*+=-]{8,25}$/;
const ALIAS_RE = /^[가-힣a-zA-Z0-9]{1,20}$/;

export interface SignupInput {
  email: string;
  password: string;
  alias: string;
  password_confirm?: string;
  password2?: string;
}

export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly identity: Identity,
  ) {}

  async isFree(kind: string, value: string): Promise<{ result: boolean }> {
    if (kind === 'email') return { result: !(await this.repo.byEmail(value.trim())) };
    if (kind === 'alias') return { result: !(await this.repo.byAlias(value.trim().normalize('NFC'))) };
    throw new AppError('INVALID_CASE', 400, { case: [{ kind: 'code', code: 'INVALID_CASE' }] });
  }

  async signup(input: SignupInput): Promise<{ id: number; email: string; alias: string }> {
    const email = input.email.trim();
    const alias = input.alias.trim().normalize('NFC');
    const confirm = input.password_confirm ?? input.password2;
    const fields: FieldErrors = {};
    if (!EMAIL_RE.test(email) || email.length > 200) fields.email = [{ kind: 'code', code: 'INVALID_EMAIL' }];
    if (!PASSWORD_RE.test(input.password)) fields.password = [{ kind: 'code', code: 'INVALID_PASSWORD' }];
    else if (confirm !== undefined && confirm !== input.password) fields.password_confirm = [{ kind: 'code', code: 'PASSWORD_MISMATCH' }];
    if (!ALIAS_RE.test(alias)) fields.alias = [{ kind: 'code', code: 'INVALID_ALIAS' }];
    if (Object.keys(fields).length) throw new AppError('VALIDATION_ERROR', 400, fields);
    try {
      const user = await this.repo.insert({ email, alias, passwordHash: await hashPassword(input.password) });
      return { id: user.id, email: user.email, alias: user.alias };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const field = uniqueConstraintOf(err).includes('alias') ? 'alias' : 'email';
      throw new AppError('USER_ALREADY_EXISTS', 409, { [field]: [{ kind: 'code', code: `${field.toUpperCase()}_TAKEN` }] });
    }
  }

  async login(email: string, password: string) {
    const user = await this.repo.byEmail(email.trim());
    if (!user) {
      await verifyPassword(await dummyHash(), password);
      throw new AppError('USER_NOT_EXIST', 400);
    }
    const check = await verifyPassword(user.passwordHash, password);
    if (!check.ok || !user.active) throw new AppError('USER_NOT_EXIST', 400);
    return this.pairReply(await this.identity.login(APP, user.id, { id: String(user.id), alias: user.alias }));
  }

  async refresh(token: string | undefined) {
    if (!token) throw new AppError('TOKEN_NOT_FOUND', 401);
    const peek = this.identity.codec.verify(APP, token, 'refresh');
    const user = await this.repo.byId(peek.user_id);
    if (!user || !user.active) throw new AppError('INVALID_TOKEN', 401);
    return this.pairReply(await this.identity.refresh(APP, token, { id: String(user.id), alias: user.alias }));
  }

  /** GET /api/v1/users/auth: the token's user, from the database (a deleted user's token is refused) */
  async whoami(claims: TokenClaims): Promise<{ id: number; alias: string; exp: number }> {
    const user = await this.repo.byId(claims.user_id);
    if (!user || !user.active) throw new AppError('INVALID_TOKEN', 401);
    return { id: user.id, alias: user.alias, exp: claims.exp };
  }

  async aliasOf(userId: number): Promise<string> {
    return (await this.repo.byId(userId))?.alias ?? '';
  }

  private pairReply(pair: Awaited<ReturnType<Identity['login']>>) {
    return {
      access_token: pair.access,
      refresh_token: pair.refresh,
      token_type: 'Bearer',
      expires_in: pair.accessClaims.exp - pair.accessClaims.iat,
    };
  }
}

/**
 * A client-sent user_id (form field or query, as the original front sends) that is a valid id must
 * be the token's. Anything else — the original front end's first `user_id=undefined` — is ignored:
 * the user comes from the token (docs/apps/igemoji.md §4).
 */
export function assertSelf(claims: TokenClaims, sent: unknown): void {
  const id = typeof sent === 'number' ? String(sent) : typeof sent === 'string' ? sent.trim() : '';
  if (!/^[1-9]\d{0,15}$/.test(id)) return;
  if (id !== String(claims.user_id)) throw new AppError('USER_MISMATCH', 403);
}
