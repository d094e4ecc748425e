import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadCache } from './read-cache.js';

afterEach(() => {
  vi.useRealTimers();
});

function live<V>(opts = { ttlMs: 60_000, max: 100 }) {
  const cache = new ReadCache<V>(opts);
  cache.setLive(true);
  return cache;
}

describe('ReadCache', () => {
  it('serves a stored value until its group is dropped', async () => {
    const cache = live<number>();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('a', 'p1', load)).toBe(1);
    expect(await cache.get('a', 'p1', load)).toBe(1);
    expect(await cache.get('a', 'p2', load)).toBe(2);
    expect(await cache.get('b', 'p1', load)).toBe(3);
    cache.drop('a');
    expect(cache.peek('a', 'p1')).toBeUndefined();
    expect(cache.peek('a', 'p2')).toBeUndefined();
    expect(cache.peek('b', 'p1')).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('does not store a load that raced an invalidation', async () => {
    const cache = live<string>();
    let release!: (v: string) => void;
    const pending = cache.get('a', '', () => new Promise<string>((r) => (release = r)));
    cache.drop('other'); // any change while the load was reading
    release('read before the change');
    expect(await pending).toBe('read before the change');
    expect(cache.peek('a')).toBeUndefined();
    expect(await cache.get('a', '', async () => 'fresh')).toBe('fresh');
    expect(cache.peek('a')).toBe('fresh');
  });

  it('concurrent misses of one key share one load (no stampede), and a failed load is not kept', async () => {
    const cache = live<string>();
    let loads = 0;
    let release!: (v: string) => void;
    const load = () => {
      loads++;
      return new Promise<string>((r) => (release = r));
    };
    const waiting = Array.from({ length: 50 }, () => cache.get('a', 'p1', load));
    const other = cache.get('a', 'p2', async () => 'other key');
    expect(loads).toBe(1);
    release('once');
    expect(await Promise.all(waiting)).toEqual(Array(50).fill('once'));
    expect(await other).toBe('other key');
    expect(cache.misses).toBe(51);
    cache.drop('b');
    const failing = Array.from({ length: 3 }, () => cache.get('b', '', () => Promise.reject(new Error('db down'))));
    for (const f of failing) await expect(f).rejects.toThrow('db down');
    expect(await cache.get('b', '', async () => 'recovered')).toBe('recovered');
  });

  it('a miss after an invalidation does not join a load that began before it', async () => {
    const cache = live<string>();
    let releaseOld!: (v: string) => void;
    const old = cache.get('a', '', () => new Promise<string>((r) => (releaseOld = r)));
    cache.drop('a'); // a write committed while the first load was reading
    let loads = 0;
    const fresh = cache.get('a', '', async () => {
      loads++;
      return 'after the change';
    });
    expect(loads).toBe(1);
    releaseOld('before the change');
    expect(await old).toBe('before the change');
    expect(await fresh).toBe('after the change');
    expect(cache.peek('a')).toBe('after the change');
  });

  it('stores nothing while invalidations cannot be heard, and forgets all when that changes', async () => {
    const cache = new ReadCache<number>({ ttlMs: 60_000, max: 10 });
    expect(await cache.get('a', '', async () => 1)).toBe(1);
    expect(cache.peek('a')).toBeUndefined();
    cache.setLive(true);
    await cache.get('a', '', async () => 2);
    expect(cache.peek('a')).toBe(2);
    cache.setLive(false);
    expect(cache.peek('a')).toBeUndefined();
  });

  it('expires entries and stays within its bound, oldest group first', async () => {
    vi.useFakeTimers({ now: 0 });
    const cache = live<number>({ ttlMs: 1000, max: 3 });
    for (const g of ['a', 'b', 'c', 'd']) await cache.get(g, '', async () => g.charCodeAt(0));
    expect(cache.size).toBe(3);
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('d')).toBe(100);
    vi.setSystemTime(1000);
    expect(cache.peek('d')).toBeUndefined();
  });

  it('can hold null (a known absence) as a value', async () => {
    const cache = live<number | null>();
    await cache.get('missing', '', async () => null);
    expect(cache.peek('missing')).toBeNull();
  });

  it('counts each lookup once: a hit when answered from memory, a miss when it had to load', async () => {
    const cache = live<number | null>();
    const lookup = async (key: string, value: number | null) => {
      const cached = cache.peek(key);
      return cached !== undefined ? cached : cache.get(key, '', async () => value);
    };
    expect(await lookup('a', 1)).toBe(1);
    expect([cache.hits, cache.misses]).toEqual([0, 1]);
    expect(await lookup('a', 2)).toBe(1);
    expect(await lookup('gone', null)).toBeNull();
    expect(await lookup('gone', 3)).toBeNull();
    expect([cache.hits, cache.misses]).toEqual([2, 2]);
    cache.drop('a');
    expect(await lookup('a', 4)).toBe(4);
    expect([cache.hits, cache.misses]).toEqual([2, 3]);
  });
});
