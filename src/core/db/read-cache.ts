// An in-process cache of read results for hot paths, kept correct by invalidations (a database
// NOTIFY, or the writer dropping its own entries right after commit). Entries live in groups so
// one change drops everything derived from it (e.g. every page of one neighbourhood's list).
// Two rules keep it from serving stale data:
//  - a load that was in flight while anything was invalidated is returned but not stored (it may
//    have read the database before the change committed);
//  - while invalidations cannot be heard (listening connection lost) nothing is stored.
// Entries also expire after ttlMs, and the number of entries is bounded (oldest group first).
// Concurrent misses of one key share one load (no stampede when a hot entry expires or is
// dropped), unless something was invalidated since that load began: a request never joins a load
// that may predate a change it has to see.
// Every lookup is counted once, as a hit or a miss (metrics: madang_cache_requests_total).
import type { CacheCounts } from '../observability/cache-metrics.js';

interface Entry<V> {
  value: V;
  at: number;
}

export class ReadCache<V> implements CacheCounts {
  private groups = new Map<string, Map<string, Entry<V>>>();
  private count = 0;
  private generation = 0;
  private live = false;
  private hitCount = 0;
  private missCount = 0;
  /** loads in flight by group and key, each with the generation it started in */
  private inflight = new Map<string, Map<string, { generation: number; promise: Promise<V> }>>();

  constructor(private readonly opts: { ttlMs: number; max: number }) {}

  /** whether invalidations are heard; either way what is held now is dropped */
  setLive(live: boolean): void {
    this.live = live;
    this.clear();
  }

  get hits(): number {
    return this.hitCount;
  }

  get misses(): number {
    return this.missCount;
  }

  get size(): number {
    return this.count;
  }

  /**
   * The cached value, or undefined; synchronous so a hit costs no promise. Counts its hits only:
   * the hot path is `peek(k) ?? await get(k, load)`, and get counts the miss.
   */
  peek(group: string, key = ''): V | undefined {
    const value = this.lookup(group, key);
    if (value !== undefined) this.hitCount++;
    return value;
  }

  async get(group: string, key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.lookup(group, key);
    if (hit !== undefined) {
      this.hitCount++;
      return hit;
    }
    this.missCount++;
    const generation = this.generation;
    const running = this.inflight.get(group)?.get(key);
    if (running && running.generation === generation) return running.promise;
    const promise = load().then(
      (value) => {
        this.settled(group, key, promise);
        if (this.live && generation === this.generation) this.store(group, key, value);
        return value;
      },
      (err: unknown) => {
        this.settled(group, key, promise);
        throw err;
      },
    );
    let keys = this.inflight.get(group);
    if (!keys) this.inflight.set(group, (keys = new Map()));
    keys.set(key, { generation, promise });
    return promise;
  }

  private settled(group: string, key: string, promise: Promise<V>): void {
    const keys = this.inflight.get(group);
    if (keys?.get(key)?.promise !== promise) return;
    keys.delete(key);
    if (keys.size === 0) this.inflight.delete(group);
  }

  drop(group: string): void {
    this.generation++;
    const entries = this.groups.get(group);
    if (!entries) return;
    this.count -= entries.size;
    this.groups.delete(group);
  }

  clear(): void {
    this.generation++;
    this.groups.clear();
    this.count = 0;
  }

  private lookup(group: string, key: string): V | undefined {
    const entry = this.groups.get(group)?.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.at >= this.opts.ttlMs) return undefined;
    return entry.value;
  }

  private store(group: string, key: string, value: V): void {
    while (this.count >= this.opts.max && this.groups.size > 0) {
      const [oldest, entries] = this.groups.entries().next().value!;
      this.count -= entries.size;
      this.groups.delete(oldest);
    }
    let entries = this.groups.get(group);
    if (!entries) this.groups.set(group, (entries = new Map()));
    if (!entries.has(key)) this.count++;
    entries.set(key, { value, at: Date.now() });
  }
}
