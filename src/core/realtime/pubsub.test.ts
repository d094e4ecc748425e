import { describe, expect, it } from 'vitest';
import { MemoryPubSub } from './pubsub.js';
import { SharedCache } from './shared-cache.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('memory pub/sub and the shared cache', () => {
  it('delivers copies asynchronously to every subscriber until unsubscribed', async () => {
    const ps = new MemoryPubSub();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const unA = await ps.subscribe('room', (m) => a.push(m));
    await ps.subscribe('room', (m) => b.push(m));
    const msg = { text: 'hi' };
    void ps.publish('room', msg);
    expect(a).toEqual([]); // never delivered synchronously: a publisher is not re-entered
    await tick();
    expect(a).toEqual([{ text: 'hi' }]);
    expect(a[0]).not.toBe(msg);
    await unA();
    await ps.publish('room', { text: 'again' });
    await tick();
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(2);
  });

  it('an invalidation on one cache reaches the other cache on the same bus', async () => {
    const bus = new MemoryPubSub();
    const one = new SharedCache<number>('n', bus, { ttlMs: 60_000, max: 10 });
    const two = new SharedCache<number>('n', bus, { ttlMs: 60_000, max: 10 });
    let source = 1;
    expect(await two.get('k', async () => source)).toBe(1);
    source = 2;
    expect(await two.get('k', async () => source)).toBe(1);
    await one.invalidate('k');
    await tick();
    expect(await two.get('k', async () => source)).toBe(2);
  });

  it('does not keep a load that raced an invalidation (a session revoked mid-read stays revoked)', async () => {
    const cache = new SharedCache<boolean>('s', new MemoryPubSub(), { ttlMs: 60_000, max: 10 });
    let release!: (open: boolean) => void;
    const reading = cache.get('sid', () => new Promise<boolean>((r) => (release = r)));
    await cache.invalidate('sid'); // logout commits while the row was being read
    release(true);
    expect(await reading).toBe(true);
    expect(await cache.get('sid', async () => false)).toBe(false);
  });

  it('is bounded', async () => {
    const cache = new SharedCache<number>('b', new MemoryPubSub(), { ttlMs: 60_000, max: 2 });
    let loads = 0;
    for (const k of ['a', 'b', 'c', 'a']) await cache.get(k, async () => ++loads);
    expect(loads).toBe(4);
  });
});
