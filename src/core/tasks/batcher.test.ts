// Batcher: calls made together share one batch, each gets its own answer, calls made while a batch
// is in flight form the next one, an error fails only its own batch, and `max` bounds a batch.
import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

describe('Batcher', () => {
  it('calls of one tick share a batch; calls made during a flush form the next; answers keep their order', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const b = new Batcher<number, string>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate;
      return items.map((i) => `v${i}`);
    });
    const first = [b.add(1), b.add(2), b.add(3)];
    await new Promise((r) => setImmediate(r)); // the first batch is in flight now
    const second = [b.add(4), b.add(5)];
    expect(batches).toEqual([[1, 2, 3]]);
    release();
    expect(await Promise.all([...first, ...second])).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('an error rejects every call of its batch only; `max` splits a long queue', async () => {
    const seen: number[][] = [];
    const b = new Batcher<number, number>(async (items) => {
      seen.push(items);
      if (items.includes(2)) throw new Error('boom');
      return items.map((i) => i * 10);
    }, 2);
    const results = await Promise.allSettled([b.add(1), b.add(2), b.add(3)]);
    expect(seen).toEqual([[1, 2], [3]]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseFulfilledResult<number>).value).toBe(30);
    expect(await b.add(7)).toBe(70); // usable again after an error
  });
});
