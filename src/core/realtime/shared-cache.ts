// A small read-through cache whose invalidations travel over pub/sub, so every instance drops a
// key the moment any instance changes it (Redis pub/sub at scale, in-memory when embedded).
// The entries are a ReadCache (one group per key): they expire after ttlMs as a safety net against
// a lost invalidation, and a load that was in flight while any key was invalidated is not stored —
// it may have read the row before the change committed (a session revoked while a request was
// loading it would otherwise stay open here).
import { ReadCache } from '../db/read-cache.js';
import type { Registry } from 'prom-client';
import { trackCache } from '../observability/cache-metrics.js';
import type { PubSub } from './pubsub.js';

export class SharedCache<V> {
  private readonly entries: ReadCache<V>;
  private ready: Promise<unknown>;

  constructor(
    private readonly name: string,
    private readonly pubsub: PubSub,
    opts: { ttlMs: number; max: number; metrics?: Registry },
  ) {
    this.entries = new ReadCache<V>(opts);
    if (opts.metrics) trackCache(opts.metrics, name, this.entries);
    this.entries.setLive(true);
    this.ready = pubsub.subscribe(`cache:${name}`, (msg) => {
      const key = (msg as { key?: unknown }).key;
      if (typeof key === 'string') this.entries.drop(key);
    });
  }

  /** resolves once this instance hears invalidations (subscribed) */
  async whenReady(): Promise<void> {
    await this.ready;
  }

  /** the cached value or undefined, without a promise (the hot path's hit) */
  peek(key: string): V | undefined {
    return this.entries.peek(key);
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    return this.entries.get(key, '', load);
  }

  /** drops the key here at once and on every other instance via pub/sub */
  async invalidate(key: string): Promise<void> {
    this.entries.drop(key);
    await this.ready;
    await this.pubsub.publish(`cache:${this.name}`, { key });
  }

  clear(): void {
    this.entries.clear();
  }
}
