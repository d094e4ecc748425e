// Users of zodiac: duplicate check, sign-up with the original front end's rules enforced here
// (docs/apps/zodiac.md §5.2, §13.9), login and refresh on one endpoint (§5.3), and the "{user_id} must be
// you" rule of every per-user path (§12: the path UUID and the token's `id` claim are the same).
import { AppError, isUniqueViolation, uniqueConstraintOf, type FieldErrors } from '../../core/errors.js';
import type { Identity } from '../../core/identity/identity.service.js';
import { dummyHash, hashPassword, verifyPassword } from '../../core/identity/password.js';
import type { TokenClaims } from '../../core/identity/tokens.js';
import type { DuplicateCase, UsersRepository } from './users.repository.js';
import type { ZodiacUser } from './zodiac.table.js';

export const APP = 'zodiac';
const CASES: readonly DuplicateCase[] = ['username', 'alias', 'email'];
const USERNAME_RE = /^[A-Za-z][A-Za-z0-9]*$/;
const ALIAS_RE = /^[A-Za-z가-힣][A-Za-z0-9가-힣]*$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface SignupInput {
  username: string;
  password: string;
  email: string;
  alias: string;
  passwordConfirm?: string;
}

export interface AuthInput {
  username?: string;
  password?: string;
  refresh_token?: string;
}

const code = (c: string) => [{ kind: 'code' as const, code: c }];

export function signupErrors(input: SignupInput): FieldErrors {
  const f: FieldErrors = {};
  const u = input.username.trim();
  if (u.length < 2) f.username = code('USERNAME_TOO_SHORT');
  else if (u.length > 10) f.username = code('USERNAME_TOO_LONG');
  else if (!USERNAME_RE.test(u)) f.username = code('USERNAME_FORMAT');
  const p = input.password;
  if (p.length < 8) f.password = code('PASSWORD_TOO_SHORT');
  else if (p.length > 16) f.password = code('PASSWORD_TOO_LONG');
  else if (!/[A-Za-z]/.test(p) || !/\d/.test(p) || !/[^A-Za-z0-9]/.test(p)) f.password = code('PASSWORD_FORMAT');
  if (input.passwordConfirm !== undefined && input.passwordConfirm !== p) f.passwordConfirm = code('PASSWORD_MISMATCH');
  const a = input.alias.trim();
  if (a.length < 2) f.alias = code('ALIAS_TOO_SHORT');
  else if (a.length > 10) f.alias = code('ALIAS_TOO_LONG');
  else if (!ALIAS_RE.test(a)) f.alias = code('ALIAS_FORMAT');
  const e = input.email.trim();
  if (e.length > 200 || !EMAIL_RE.test(e)) f.email = code('EMAIL_FORMAT');
  return f;
}

export class UsersService {
  constructor(private readonly repo: UsersRepository, private readonly identity: Identity) {}

  async checkDuplicate(kase: string, value: string): Promise<{ result: boolean }> {
    if (!CASES.includes(kase as DuplicateCase)) throw new AppError('INVALID_CASE', 400, { case: code('INVALID_CASE') });
    return { result: !(await this.repo.taken(kase as DuplicateCase, value.trim())) };
  }

  async signup(input: SignupInput): Promise<{ username: string; alias: string; uuid: string }> {
    const fields = signupErrors(input);
    if (Object.keys(fields).length) throw new AppError('VALIDATION_ERROR', 400, fields);
    const passwordHash = await hashPassword(input.password);
    try {
      const user = await this.repo.insert({
        username: input.username.trim(),
        alias: input.alias.trim(),
        email: input.email.trim(),
        passwordHash,
      });
      return { username: user.username, alias: user.alias, uuid: user.uuid };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const c = uniqueConstraintOf(err);
      const field = c.includes('alias') ? 'alias' : c.includes('email') ? 'email' : 'username';
      throw new AppError('USER_ALREADY_EXISTS', 409, { [field]: code(`${field.toUpperCase()}_TAKEN`) });
    }
  }

  /** Login with a body, or (no credentials, a token in the header or body) refresh. */
  async auth(body: AuthInput, headerToken: string) {
    if (body.username !== undefined || body.password !== undefined) return this.login(body.username ?? '', body.password ?? '');
    const token = headerToken || body.refresh_token || '';
    if (!token) throw new AppError('VALIDATION_ERROR', 400, { username: [{ kind: 'required' }], password: [{ kind: 'required' }] });
    return this.refresh(token);
  }

  private async login(username: string, password: string) {
    const fields: FieldErrors = {};
    if (!username.trim()) fields.username = [{ kind: 'required' }];
    if (!password) fields.password = [{ kind: 'required' }];
    if (Object.keys(fields).length) throw new AppError('VALIDATION_ERROR', 400, fields);
    const user = await this.repo.byUsername(username.trim());
    if (!user) {
      await verifyPassword(await dummyHash(), password);
      throw new AppError('LOGIN_FAILED', 400);
    }
    const check = await verifyPassword(user.passwordHash, password);
    if (!check.ok) throw new AppError('LOGIN_FAILED', 400);
    const pair = await this.identity.login(APP, user.id, claimsOf(user));
    return { access_token: pair.access, refresh_token: pair.refresh, uuid: user.uuid, alias: user.alias };
  }

  private async refresh(token: string) {
    let isAccess = false;
    try {
      this.identity.codec.verify(APP, token, 'access');
      isAccess = true;
    } catch {
      // not a valid access token: go on as a refresh token
    }
    if (isAccess) throw new AppError('NOT_REFRESH_TOKEN', 401);
    const claims = this.identity.codec.verify(APP, token, 'refresh');
    const user = await this.repo.byId(claims.user_id);
    if (!user) throw new AppError('INVALID_TOKEN', 401);
    const pair = await this.identity.refresh(APP, token, claimsOf(user));
    return { access_token: pair.access, refresh_token: pair.refresh, uuid: user.uuid };
  }

  /** The user behind the token, who must be the one named in the path. */
  async self(principal: TokenClaims, pathUuid: string): Promise<ZodiacUser> {
    const user = await this.repo.byId(principal.user_id);
    if (!user) throw new AppError('INVALID_TOKEN', 401);
    if (user.uuid !== pathUuid.toLowerCase()) throw new AppError('USER_MISMATCH', 403);
    return user;
  }
}

function claimsOf(user: ZodiacUser): Record<string, unknown> {
  return { id: user.uuid, alias: user.alias };
}
