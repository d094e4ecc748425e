// A small read-through cache whose invalidations travel over pub/sub, so every instance drops a
// key the moment any instance changes it (Redis pub/sub at scale, in-memory when embedded).
// Entries also expire after ttlMs as a safety net against a lost invalidation. A load that was in
// flight while any key was invalidated is not stored: it may have read the row before the change
// committed (a session revoked while a request was loading it would otherwise stay open here).
import type { PubSub } from './pubsub.js';

export class SharedCache<V> {
  private entries = new Map<string, { value: V; at: number }>();
  private generation = 0;
  private ready: Promise<unknown>;

  constructor(
    private readonly name: string,
    private readonly pubsub: PubSub,
    private readonly opts: { ttlMs: number; max: number },
  ) {
    this.ready = pubsub.subscribe(`cache:${name}`, (msg) => {
      const key = (msg as { key?: unknown }).key;
      if (typeof key !== 'string') return;
      this.generation++;
      this.entries.delete(key);
    });
  }

  /** resolves once this instance hears invalidations (subscribed) */
  async whenReady(): Promise<void> {
    await this.ready;
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.opts.ttlMs) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (generation !== this.generation) return value;
    if (this.entries.size >= this.opts.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, at: Date.now() });
    return value;
  }

  /** drops the key here at once and on every other instance via pub/sub */
  async invalidate(key: string): Promise<void> {
    this.generation++;
    this.entries.delete(key);
    await this.ready;
    await this.pubsub.publish(`cache:${this.name}`, { key });
  }

  clear(): void {
    this.entries.clear();
  }
}
