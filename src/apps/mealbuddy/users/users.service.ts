// Accounts of mealbuddy (docs/apps/mealbuddy.md §4.1) with §11's fixes: whole-email lower-casing, one password
// policy, update limited to username/address/location, sessions revoked on password change and
// on deactivation, a fresh 24 h token from current/update within the same session.
import { AppError, isUniqueViolation, uniqueConstraintOf } from '../../../core/errors.js';
import { replySerializer, type SerializedReply } from '../../../core/http/serializer.js';
import type { Counters } from '../../../core/limits/counters.js';
import type { Logger } from '../../../core/observability/logger.js';
import type { Identity } from '../../../core/identity/identity.service.js';
import { dummyHash, hashPassword, verifyPassword } from '../../../core/identity/password.js';
import type { MealbuddyCache } from '../mealbuddy.cache.js';
import { APP, TOKEN_TTL_SECONDS } from '../mealbuddy.common.js';
import { passwordProblems } from './password-policy.js';
import type { UsersRepository } from './users.repository.js';
import { wrappedUser } from './users.schemas.js';
import type { MbUser } from './users.table.js';

export interface UserWithToken {
  email: string;
  username: string;
  address: string;
  token: string;
  id: number;
}

const writeWrappedUser = replySerializer(wrappedUser);
/** sessions whose current answer is kept (for one second each); past it the map starts over */
const CURRENT_REPLIES_MAX = 10_000;

export class UsersService {
  private readonly currentReplies = new Map<string, { iat: number; user: MbUser; bytes: SerializedReply }>();

  constructor(
    private readonly repo: UsersRepository,
    private readonly identity: Identity,
    private readonly cache: MealbuddyCache,
    private readonly addressLimit?: { counters: Counters; enabled: boolean; perDay: number; log: Logger },
  ) {}

  async register(input: { email: string; username: string; password: string; password2: string; address: string; lat?: number; lon?: number }) {
    if (input.password !== input.password2) {
      throw new AppError('VALIDATION_ERROR', 400, { password: [{ kind: 'code', code: 'PASSWORD_MISMATCH' }] });
    }
    const problems = passwordProblems(input.password);
    if (problems.length) throw new AppError('VALIDATION_ERROR', 400, { password: problems });
    bothOrNeither(input.lat, input.lon);
    const passwordHash = await hashPassword(input.password);
    let user: MbUser;
    try {
      user = await this.repo.insert({
        email: input.email.toLowerCase(),
        username: input.username,
        passwordHash,
        address: input.address,
        ...(input.lat !== undefined && input.lon !== undefined ? { lat: input.lat, lon: input.lon } : {}),
      });
    } catch (err) {
      throw duplicateError(err);
    }
    return { user: await this.session(user) };
  }

  async login(input: { email: string; password: string }) {
    const user = await this.repo.byEmail(input.email.toLowerCase());
    if (!user) {
      await verifyPassword(await dummyHash(), input.password);
      throw new AppError('INVALID_CREDENTIALS', 401);
    }
    const check = await verifyPassword(user.passwordHash, input.password);
    if (!check.ok || !user.isActive) throw new AppError('INVALID_CREDENTIALS', 401);
    const values = { lastLogin: new Date(), ...(check.needsRehash ? { passwordHash: await hashPassword(input.password) } : {}) };
    const pair = await this.identity.login(APP, user.id, {}, undefined, this.repo.loginWrite(user.id, values));
    this.cache.userChanged(user.id);
    return { user: await this.withToken(user, pair.accessClaims.sid) };
  }

  /**
   * GET /user/current/: a fresh token, as the original front end asks on every page load. The answer
   * is kept for the rest of its second (per session, while the user's shown fields stay the same): a token issued again
   * in the same second would carry the same claims but its id, so a page that asks several times at
   * once (and a burst of them) gets the same bytes instead of a new signature and serialisation each.
   * The row is compared by what the answer shows, not by identity: a cached row read again (another
   * instance's change notice, an expiry) is a new object with the same fields.
   */
  currentReady(user: MbUser, sid: string): SerializedReply | undefined {
    const made = this.currentReplies.get(sid);
    return made && made.iat === Math.floor(Date.now() / 1000) && sameShown(made.user, user) ? made.bytes : undefined;
  }

  async current(user: MbUser, sid: string): Promise<SerializedReply> {
    const { token, claims } = await this.identity.reissueAccess(APP, user.id, sid, TOKEN_TTL_SECONDS);
    const bytes = writeWrappedUser({ user: { email: user.email, username: user.username, address: user.address, token, id: user.id } });
    if (this.currentReplies.size >= CURRENT_REPLIES_MAX) this.currentReplies.clear();
    this.currentReplies.set(sid, { iat: claims.iat, user, bytes });
    return bytes;
  }

  async update(user: MbUser, sid: string, input: { username?: string; address?: string; lat?: number | null; lon?: number | null; email?: unknown; password?: unknown }) {
    const refused = (['email', 'password'] as const).filter((k) => input[k] !== undefined);
    if (refused.length) {
      throw new AppError('VALIDATION_ERROR', 400, Object.fromEntries(refused.map((k) => [k, [{ kind: 'code', code: 'FIELD_NOT_EDITABLE' }]])));
    }
    bothOrNeither(input.lat, input.lon);
    const moving = input.address !== undefined && input.address !== user.address;
    if (moving) await this.allowAddressChange(user);
    try {
      // a move is recorded in mealbuddy_address_changes: the neighbourhood decides whose posts and
      // rooms a user sees (docs/security.md)
      const { user: updated, from } = await this.repo.updateRecordingMove(user.id, {
        ...(input.username !== undefined ? { username: input.username } : {}),
        ...(input.address !== undefined ? { address: input.address } : {}),
        ...(input.lat !== undefined ? { lat: input.lat, lon: input.lon ?? null } : {}),
      });
      this.cache.userChanged(user.id, updated.username !== user.username);
      if (from !== undefined) this.addressLimit?.log.info({ user_id: user.id, from, to: updated.address }, 'mealbuddy: address changed');
      return await this.withToken(updated, sid);
    } catch (err) {
      throw duplicateError(err);
    }
  }

  /**
   * Anyone could move to a victim's address and read that neighbourhood (issue 15 #4): a user may
   * change address MEALBUDDY_ADDRESS_CHANGES_PER_DAY times per 24 h, then 429.
   */
  private async allowAddressChange(user: MbUser): Promise<void> {
    const limit = this.addressLimit;
    if (!limit?.enabled) return;
    const c = await limit.counters.hit(`mealbuddy:address:${user.id}`, 86_400_000);
    if (c.count > limit.perDay) {
      throw new AppError('ADDRESS_CHANGE_LIMITED', 429, undefined, undefined, { 'retry-after': String(Math.max(1, Math.ceil(c.ttlMs / 1000))) });
    }
  }

  async changePassword(user: MbUser, input: { current_password: string; new_password1: string; new_password2: string }) {
    const problems = passwordProblems(input.new_password1);
    if (problems.length) throw new AppError('VALIDATION_ERROR', 400, { new_password1: problems });
    if (input.new_password1 !== input.new_password2) {
      throw new AppError('VALIDATION_ERROR', 400, { new_password1: [{ kind: 'code', code: 'NEW_PASSWORD_MISMATCH' }] });
    }
    if (input.new_password1 === input.current_password) {
      throw new AppError('VALIDATION_ERROR', 400, { new_password1: [{ kind: 'code', code: 'PASSWORD_SAME_AS_OLD' }] });
    }
    if (!(await verifyPassword(user.passwordHash, input.current_password)).ok) {
      throw new AppError('WRONG_CURRENT_PASSWORD', 400);
    }
    await this.repo.update(user.id, { passwordHash: await hashPassword(input.new_password1) });
    this.cache.userChanged(user.id);
    // every token issued before the change stops working (§11.6)
    await this.identity.revokeAllForUser(APP, user.id, 'password-change');
    return { message: 'PASSWORD_CHANGED' };
  }

  async deactivate(user: MbUser, password: string | undefined) {
    if (!password || !(await verifyPassword(user.passwordHash, password)).ok) {
      throw new AppError('INVALID_USER_INFO', 401);
    }
    await this.repo.update(user.id, { isActive: false });
    this.cache.userChanged(user.id);
    await this.identity.revokeAllForUser(APP, user.id, 'deactivated');
  }

  private async session(user: MbUser): Promise<UserWithToken> {
    const pair = await this.identity.login(APP, user.id);
    return this.withToken(user, pair.accessClaims.sid);
  }

  /** a fresh access token in the same session, so /user/current/ slides the session (§3) */
  private async withToken(user: MbUser, sid: string): Promise<UserWithToken> {
    const { token } = await this.identity.reissueAccess(APP, user.id, sid, TOKEN_TTL_SECONDS);
    return { email: user.email, username: user.username, address: user.address, token, id: user.id };
  }
}

/** the fields of a user that GET /user/current/ shows */
function sameShown(a: MbUser, b: MbUser): boolean {
  return a.id === b.id && a.email === b.email && a.username === b.username && a.address === b.address;
}

/** a location is a pair: one coordinate alone is refused */
function bothOrNeither(lat: unknown, lon: unknown): void {
  if ((lat === undefined) === (lon === undefined)) return;
  throw new AppError('VALIDATION_ERROR', 400, { [lat === undefined ? 'lat' : 'lon']: [{ kind: 'required' }] });
}

function duplicateError(err: unknown): unknown {
  if (!isUniqueViolation(err)) return err;
  const field = uniqueConstraintOf(err).includes('username') ? 'username' : 'email';
  return new AppError('USER_ALREADY_EXISTS', 409, { [field]: [{ kind: 'code', code: `${field.toUpperCase()}_TAKEN` }] });
}
