// Fan-out between API instances. In-memory for one process; Redis pub/sub when REDIS_URL is set,
// so a message published on one instance reaches sockets held by every instance.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type Handler = (message: unknown) => void;

export interface PubSub {
  readonly kind: 'memory' | 'redis';
  publish(channel: string, message: unknown): Promise<void>;
  subscribe(channel: string, handler: Handler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export class MemoryPubSub implements PubSub {
  readonly kind = 'memory' as const;
  private emitter = new EventEmitter().setMaxListeners(0);

  async publish(channel: string, message: unknown) {
    // nobody listens (most run transitions, when no client watches): nothing to copy or deliver
    if (this.emitter.listenerCount(channel) === 0) return;
    // deliver asynchronously, as Redis would, so publishers never re-enter their own handlers
    const copy = JSON.parse(JSON.stringify(message)) as unknown;
    queueMicrotask(() => this.emitter.emit(channel, copy));
  }

  async subscribe(channel: string, handler: Handler) {
    this.emitter.on(channel, handler);
    return async () => {
      this.emitter.off(channel, handler);
    };
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}

// loaded only when Redis is configured: the embedded default never pays for the client
const require = createRequire(import.meta.url);
const redisClass = () => (require('ioredis') as typeof import('ioredis')).Redis;

export class RedisPubSub implements PubSub {
  readonly kind = 'redis' as const;
  private pub: Redis;
  private sub: Redis;
  private handlers = new Map<string, Set<Handler>>();

  constructor(url: string, private readonly prefix: string, log: Logger) {
    const Redis = redisClass();
    // publishes of one tick (a batch of runs finishing: several per run) leave in one write
    this.pub = new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
    this.sub = new Redis(url, { maxRetriesPerRequest: null });
    for (const c of [this.pub, this.sub]) c.on('error', (err) => log.warn({ err: err.message }, 'redis pubsub error'));
    this.sub.on('message', (channel: string, raw: string) => {
      const set = this.handlers.get(channel);
      if (!set) return;
      let msg: unknown;
      try {
        msg = JSON.parse(raw);
      } catch {
        return;
      }
      for (const h of set) h(msg);
    });
  }

  async publish(channel: string, message: unknown) {
    await this.pub.publish(`${this.prefix}:rt:${channel}`, JSON.stringify(message));
  }

  async subscribe(channel: string, handler: Handler) {
    const key = `${this.prefix}:rt:${channel}`;
    let set = this.handlers.get(key);
    if (!set) {
      set = new Set();
      this.handlers.set(key, set);
      await this.sub.subscribe(key);
    }
    set.add(handler);
    return async () => {
      const s = this.handlers.get(key);
      if (!s) return;
      s.delete(handler);
      if (s.size === 0) {
        this.handlers.delete(key);
        await this.sub.unsubscribe(key).catch(() => undefined);
      }
    };
  }

  async close() {
    this.handlers.clear();
    await Promise.all([this.pub.quit().catch(() => undefined), this.sub.quit().catch(() => undefined)]);
  }
}
