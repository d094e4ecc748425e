// Expiring counters for the limits of docs/security.md (logins, look-ups, sockets, messages,
// templates): in this process's memory, or in Redis when REDIS_URL is set so every instance
// counts together. A Redis error lets the request through (logged), as the route limits do:
// an outage of the limiter must not become an outage of the API.
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';

export interface Count {
  count: number;
  /** ms until the counter expires (0 when it does not exist) */
  ttlMs: number;
}

export interface Counters {
  /** adds `by` to the counter; a new counter lives `windowMs` from its first hit (`refresh`: from this hit) */
  hit(key: string, windowMs: number, by?: number, refresh?: boolean): Promise<Count>;
  /** takes one off a live counter (a missing or expired one stays missing) */
  release(key: string): Promise<void>;
  get(key: string): Promise<Count>;
  /** sets the counter and its lifetime */
  set(key: string, value: number, ttlMs: number): Promise<void>;
  del(key: string): Promise<void>;
}

/** at most this many live keys in memory; the oldest are dropped first beyond it */
const MAX_KEYS = 200_000;

export class MemoryCounters implements Counters {
  private readonly map = new Map<string, { count: number; expires: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string) {
    const e = this.map.get(key);
    if (e && e.expires <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return e;
  }

  async hit(key: string, windowMs: number, by = 1, refresh = false): Promise<Count> {
    const e = this.live(key);
    if (e) {
      e.count += by;
      if (refresh) e.expires = this.now() + windowMs;
      return { count: e.count, ttlMs: e.expires - this.now() };
    }
    if (this.map.size >= MAX_KEYS) this.prune();
    this.map.set(key, { count: by, expires: this.now() + windowMs });
    return { count: by, ttlMs: windowMs };
  }

  async get(key: string): Promise<Count> {
    const e = this.live(key);
    return e ? { count: e.count, ttlMs: e.expires - this.now() } : { count: 0, ttlMs: 0 };
  }

  async set(key: string, value: number, ttlMs: number): Promise<void> {
    if (this.map.size >= MAX_KEYS) this.prune();
    this.map.delete(key);
    this.map.set(key, { count: value, expires: this.now() + ttlMs });
  }

  async del(key: string): Promise<void> {
    this.map.delete(key);
  }

  async release(key: string): Promise<void> {
    const e = this.live(key);
    if (e) e.count = Math.max(0, e.count - 1);
  }

  private prune(): void {
    const now = this.now();
    for (const [k, e] of this.map) if (e.expires <= now) this.map.delete(k);
    // still full: drop the oldest tenth (Map keeps insertion order)
    let drop = this.map.size >= MAX_KEYS ? Math.ceil(MAX_KEYS / 10) : 0;
    for (const k of this.map.keys()) {
      if (drop-- <= 0) break;
      this.map.delete(k);
    }
  }
}

const HIT = `local c = redis.call('INCRBY', KEYS[1], ARGV[2])
local t = redis.call('PTTL', KEYS[1])
if t < 0 or ARGV[3] == '1' then redis.call('PEXPIRE', KEYS[1], ARGV[1]); t = tonumber(ARGV[1]) end
return {c, t}`;
const RELEASE = `if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

export class RedisCounters implements Counters {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  private failed(err: unknown): Count {
    this.log.warn({ err: (err as Error).message }, 'limits: redis unavailable, not counting');
    return { count: 0, ttlMs: 0 };
  }

  async hit(key: string, windowMs: number, by = 1, refresh = false): Promise<Count> {
    try {
      const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + key, String(windowMs), String(by), refresh ? '1' : '0')) as [number, number];
      return { count: Number(count), ttlMs: Number(ttl) };
    } catch (err) {
      return this.failed(err);
    }
  }

  async get(key: string): Promise<Count> {
    try {
      const [[, v], [, ttl]] = (await this.redis.multi().get(this.prefix + key).pttl(this.prefix + key).exec()) as [[unknown, string | null], [unknown, number]];
      return v === null ? { count: 0, ttlMs: 0 } : { count: Number(v), ttlMs: Math.max(0, Number(ttl)) };
    } catch (err) {
      return this.failed(err);
    }
  }

  async set(key: string, value: number, ttlMs: number): Promise<void> {
    try {
      await this.redis.set(this.prefix + key, String(value), 'PX', Math.max(1, Math.round(ttlMs)));
    } catch (err) {
      this.failed(err);
    }
  }

  async del(key: string): Promise<void> {
    try {
      await this.redis.del(this.prefix + key);
    } catch (err) {
      this.failed(err);
    }
  }

  async release(key: string): Promise<void> {
    try {
      await this.redis.eval(RELEASE, 1, this.prefix + key);
    } catch (err) {
      this.failed(err);
    }
  }
}
