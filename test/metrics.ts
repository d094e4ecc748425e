// Reading /metrics (Prometheus text format) in tests: one sample's value by name and labels.
import type { FastifyInstance } from 'fastify';

/** the sample of `name` whose labels include `labels`, or undefined when there is none */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.lastIndexOf('}');
    const got = Object.fromEntries([...line.slice(name.length + 1, close).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(line.slice(close + 1).trim());
  }
  return undefined;
}

export interface CacheCounts {
  hit: number | undefined;
  miss: number | undefined;
}

/** a cache's hits and misses as /metrics reports them (madang_cache_requests_total) */
export function cacheCounts(text: string, cache: string): CacheCounts {
  return {
    hit: sample(text, 'madang_cache_requests_total', { cache, result: 'hit' }),
    miss: sample(text, 'madang_cache_requests_total', { cache, result: 'miss' }),
  };
}

/** the same, read from an app in this process or from a server's base URL */
export async function cacheCountsOf(from: FastifyInstance | string, cache: string): Promise<CacheCounts> {
  const text = typeof from === 'string' ? await (await fetch(`${from}/metrics`)).text() : (await from.inject({ url: '/metrics' })).body;
  return cacheCounts(text, cache);
}

/**
 * Reads until a read is answered from `cache` (its hit count grows), at most `tries` reads, and
 * returns that read's result; throws when none was. The first reads may load: an entry can be
 * dropped again by a change notice still on its way (PostgreSQL may deliver one twice).
 */
export async function readUntilHit<T>(from: FastifyInstance | string, cache: string, read: () => Promise<T>, tries = 20): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const before = await cacheCountsOf(from, cache);
    const result = await read();
    if ((await cacheCountsOf(from, cache)).hit! > (before.hit ?? 0)) return result;
  }
  throw new Error(`no read of ${tries} was a hit in cache ${cache}`);
}

/** jobs waiting in the queue backend (all queues), as a server's /metrics reports them */
export async function waitingJobs(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('queue_jobs{') && l.includes('state="waiting"'))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf('}') + 1).trim()), 0);
}
