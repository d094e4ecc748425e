// Per-account login limits (issue 15 #2, docs/security.md). Every login route of an app (aliases
// included) goes through attempt() with the same app and account, so the budget is the account's,
// not the route's, and with Redis it is shared by every instance.
//   - account + address: the first LOGIN_FREE_ATTEMPTS failures are free; each further failure
//     locks that account for that address for LOGIN_BACKOFF_BASE_MS × 2^(n - free), at most
//     LOGIN_BACKOFF_MAX_MS. A success clears it. An attacker slows down exponentially, and the
//     owner, at another address, is not locked out by it.
//   - account, any address: more than LOGIN_ACCOUNT_MAX failures in LOGIN_ACCOUNT_WINDOW_MS (a
//     guess spread over many addresses) refuses further attempts from addresses that have never
//     logged in to the account successfully (remembered 30 days); the owner's known addresses
//     still get in, so the limit cannot be used to lock them out.
// While locked, the answer is 429 RATE_LIMITED with Retry-After; the password is not checked.
import { createHash } from 'node:crypto';
import { AppError } from '../errors.js';
import type { Counters } from './counters.js';

export interface LoginLimits {
  enabled: boolean;
  freeAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  accountMax: number;
  accountWindowMs: number;
}

const KNOWN_MS = 30 * 86_400_000;
const FAILURES_MS = 86_400_000;

/** the account as a short key: case and compatibility forms folded, never stored in clear */
function accountKey(app: string, account: string): string {
  const folded = account.normalize('NFKC').trim().toLowerCase();
  return `${app}:${createHash('sha256').update(folded).digest('base64url').slice(0, 22)}`;
}

function limited(ttlMs: number): AppError {
  return new AppError('RATE_LIMITED', 429, undefined, undefined, { 'retry-after': String(Math.max(1, Math.ceil(ttlMs / 1000))) });
}

/** a refusal of the credentials (not an outage, not a validation error) */
function isCredentialFailure(err: unknown): boolean {
  return err instanceof AppError && (err.status === 400 || err.status === 401 || err.status === 403);
}

export class LoginThrottle {
  constructor(
    private readonly counters: Counters,
    readonly limits: LoginLimits,
  ) {}

  async attempt<T>(app: string, account: string | undefined | null, ip: string, login: () => Promise<T>): Promise<T> {
    if (!this.limits.enabled || typeof account !== 'string' || account.trim() === '') return login();
    const acct = accountKey(app, account);
    const pair = `${acct}:${ip}`;
    const lock = await this.counters.get(`login:lock:${pair}`);
    if (lock.count > 0) throw limited(lock.ttlMs);
    const spread = await this.counters.get(`login:acct:${acct}`);
    if (spread.count >= this.limits.accountMax && (await this.counters.get(`login:known:${pair}`)).count === 0) {
      throw limited(spread.ttlMs);
    }
    try {
      const result = await login();
      await this.counters.del(`login:fail:${pair}`);
      await this.counters.set(`login:known:${pair}`, 1, KNOWN_MS);
      return result;
    } catch (err) {
      if (isCredentialFailure(err)) {
        const fails = await this.counters.hit(`login:fail:${pair}`, FAILURES_MS);
        await this.counters.hit(`login:acct:${acct}`, this.limits.accountWindowMs);
        const over = fails.count - this.limits.freeAttempts;
        if (over >= 0) {
          const wait = Math.min(this.limits.backoffMaxMs, this.limits.backoffBaseMs * 2 ** Math.min(over, 30));
          await this.counters.set(`login:lock:${pair}`, 1, wait);
        }
      }
      throw err;
    }
  }
}

/**
 * The duplicate-check look-ups that tell whether a username or e-mail exists (zodiac, igemoji):
 * `max` per window per client address, shared by the routes of one app and across instances.
 */
export class LookupLimit {
  constructor(
    private readonly counters: Counters,
    private readonly enabled: boolean,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  async check(app: string, ip: string): Promise<void> {
    if (!this.enabled) return;
    const c = await this.counters.hit(`lookup:${app}:${ip}`, this.windowMs);
    if (c.count > this.max) throw limited(c.ttlMs);
  }
}
