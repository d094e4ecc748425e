// mealbuddy's read caches: the guard's user rows, list pages (grouped by neighbourhood) and post
// details with their members. The database announces every change on the channel mealbuddy_cache
// (triggers in drizzle/mealbuddy/0001_cache_notify.sql), heard by every instance, so a change made
// anywhere — another instance, psql — drops the entries it affects. The services also drop their
// own entries right after commit, so a client reads its own writes on the instance it wrote to
// without waiting for the notification.
import type { Registry } from 'prom-client';
import type { Database } from '../../core/db/client.js';
import { ReadCache } from '../../core/db/read-cache.js';
import type { SerializedReply } from '../../core/http/serializer.js';
import { trackCache } from '../../core/observability/cache-metrics.js';
import type { MbUser } from './users/users.table.js';

export const CACHE_CHANNEL = 'mealbuddy_cache';
const TTL_MS = 60_000;

/**
 * A post as the detail page needs it: who may read it, who is in, and both possible replies as
 * written by the route's response serialiser (so a hit costs no encoding and no schema is skipped).
 */
export interface CachedPost {
  id: number;
  address: string;
  writerId: number;
  members: ReadonlySet<number>;
  joined: SerializedReply;
  notJoined: SerializedReply;
  /** the same with the writer's e-mail: for the writer and staff */
  withEmail: { joined: SerializedReply; notJoined: SerializedReply };
}

export class MealbuddyCache {
  readonly users = new ReadCache<MbUser | null>({ ttlMs: TTL_MS, max: 50_000 });
  /** group: address; key: category and page; value: the reply as its route's serialiser wrote it */
  readonly lists = new ReadCache<SerializedReply>({ ttlMs: TTL_MS, max: 20_000 });
  /** group: post id */
  readonly posts = new ReadCache<CachedPost>({ ttlMs: TTL_MS, max: 20_000 });

  /** `metrics`: the registry that reports these caches' hits and misses */
  constructor(metrics?: Registry) {
    if (!metrics) return;
    trackCache(metrics, 'mealbuddy-users', this.users);
    trackCache(metrics, 'mealbuddy-post-lists', this.lists);
    trackCache(metrics, 'mealbuddy-posts', this.posts);
  }

  /** starts hearing the database's change notices; resolves to the function that stops */
  listen(database: Database): Promise<() => Promise<void>> {
    return database.listen(CACHE_CHANNEL, (payload) => this.apply(payload), (live) => {
      this.users.setLive(live);
      this.lists.setLive(live);
      this.posts.setLive(live);
    });
  }

  /** one change notice (format in the migration) */
  apply(payload: string): void {
    if (payload.startsWith('p:')) {
      const sep = payload.indexOf(':', 2);
      if (sep < 0) return this.clearContent();
      this.posts.drop(payload.slice(2, sep));
      this.lists.drop(payload.slice(sep + 1));
    } else if (payload.startsWith('u:')) {
      this.users.drop(payload.slice(2));
    } else if (payload === 'w') {
      this.clearContent();
    } else {
      this.users.clear();
      this.clearContent();
    }
  }

  /** what a committed change to a post, its room or its members makes stale here */
  postChanged(id: number, address: string): void {
    this.apply(`p:${id}:${address}`);
  }

  /** what a committed change to a user makes stale here; `shown`: name or email changed */
  userChanged(id: number, shown = false): void {
    this.apply(`u:${id}`);
    if (shown) this.apply('w');
  }

  private clearContent(): void {
    this.lists.clear();
    this.posts.clear();
  }
}
