// An in-process cache of read results for hot paths, kept correct by invalidations (a database
// NOTIFY, or the writer dropping its own entries right after commit). Entries live in groups so
// one change drops everything derived from it (e.g. every page of one neighbourhood's list).
// Two rules keep it from serving stale data:
//  - a load that was in flight while anything was invalidated is returned but not stored (it may
//    have read the database before the change committed);
//  - while invalidations cannot be heard (listening connection lost) nothing is stored.
// Entries also expire after ttlMs, and the number of entries is bounded (oldest group first).
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
    const value = await load();
    if (this.live && generation === this.generation) this.store(group, key, value);
    return value;
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
