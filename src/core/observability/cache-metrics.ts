// Read caches' lookups as madang_cache_requests_total{cache, result="hit"|"miss"}. A cache counts
// with plain integers (its hot path pays one increment) and the counter reads them on scrape. The
// counter is created on a registry by the first cache tracked there; caches of one name add up.
import { Counter, type Registry } from 'prom-client';

export const CACHE_METRIC = 'madang_cache_requests_total';

/** a read cache's lookups so far, each either a hit or a miss */
export interface CacheCounts {
  readonly hits: number;
  readonly misses: number;
}

const tracked = new WeakMap<Registry, Map<string, CacheCounts[]>>();

export function trackCache(registry: Registry, name: string, counts: CacheCounts): void {
  let caches = tracked.get(registry);
  if (!caches) {
    const all = new Map<string, CacheCounts[]>();
    tracked.set(registry, (caches = all));
    new Counter({
      name: CACHE_METRIC,
      help: 'Read cache lookups by cache and result (hit: answered from memory; miss: loaded)',
      labelNames: ['cache', 'result'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [cache, list] of all) {
          this.inc({ cache, result: 'hit' }, list.reduce((n, c) => n + c.hits, 0));
          this.inc({ cache, result: 'miss' }, list.reduce((n, c) => n + c.misses, 0));
        }
      },
    });
  }
  const list = caches.get(name);
  if (list) list.push(counts);
  else caches.set(name, [counts]);
}
