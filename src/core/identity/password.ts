// Password hashing: argon2id with OWASP's minimum parameters (19 MiB, t=2, p=1) for new hashes;
// Django pbkdf2_sha256 and bcrypt hashes imported from the originals still verify, and are
// re-hashed to argon2id on the next successful login (needsRehash).
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { AppError } from '../errors.js';

const pbkdf2Async = promisify(pbkdf2);
// algorithm 2 = Argon2id (the package's const enum cannot be imported under isolatedModules)
const ARGON = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON.memoryCost},t=${ARGON.timeCost},p=${ARGON.parallelism}$`;
/** longest password accepted anywhere: hashing unbounded input is a denial-of-service lever */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * Password work waits its turn here: at most one hash per core runs at a time, first come first
 * served. Left to the libuv pool, every login started its hash at once (four threads fighting for
 * two cores, the event loop starved, logins finishing in 4 s); in a queue the throughput is the
 * cores' and a login's wait is the queue ahead of it (docs/performance.md).
 */
export class HashQueue {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    /** waiting logins past which a new one is refused (503) rather than queued for seconds more */
    readonly maxWaiting: number,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new AppError('SERVICE_UNAVAILABLE', 503, undefined, undefined, { 'retry-after': '1' });
      await new Promise<void>((resolve) => this.waiting.push(resolve)); // the slot is handed over, not re-counted
    } else {
      this.active++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export const hashQueue = new HashQueue(availableParallelism(), 1024);

export function hashPassword(plain: string): Promise<string> {
  return hashQueue.run(() => hash(plain, ARGON));
}

export interface VerifyResult {
  ok: boolean;
  needsRehash: boolean;
}

export async function verifyPassword(stored: string, plain: string): Promise<VerifyResult> {
  if (plain.length > MAX_PASSWORD_LENGTH) return { ok: false, needsRehash: false };
  try {
    if (stored.startsWith('$argon2')) {
      const ok = await hashQueue.run(() => verify(stored, plain));
      return { ok, needsRehash: ok && !stored.startsWith(CURRENT_PREFIX) };
    }
    if (stored.startsWith('pbkdf2_sha256$')) {
      const ok = await hashQueue.run(() => verifyDjangoPbkdf2(stored, plain));
      return { ok, needsRehash: ok };
    }
    if (/^\$2[aby]\$/.test(stored)) {
      const ok = await hashQueue.run(() => bcrypt.compare(plain, stored));
      return { ok, needsRehash: ok };
    }
  } catch (err) {
    if (err instanceof AppError) throw err; // the queue is full: not a wrong password
    return { ok: false, needsRehash: false };
  }
  return { ok: false, needsRehash: false };
}

async function verifyDjangoPbkdf2(stored: string, plain: string): Promise<boolean> {
  const [, iterStr, salt, b64] = stored.split('$');
  const iterations = Number(iterStr);
  if (!salt || !b64 || !Number.isInteger(iterations) || iterations < 1 || iterations > 10_000_000) return false;
  const expected = Buffer.from(b64, 'base64');
  const actual = await pbkdf2Async(plain, salt, iterations, expected.length || 32, 'sha256');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A hash of a random password, so that a login for an unknown user costs the same time. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('madang-timing-equaliser');
  return dummy;
}
