import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../observability/logger.js';
import { defineJob } from '../tasks/job.js';
import { InProcessQueue } from './inprocess.js';
import { BadPayloadError } from './queue.js';

const log = createLogger('silent');
const n = z.object({ n: z.number() });
const id = z.object({ id: z.string() });
const none = z.object({});

declare module '../tasks/registry.js' {
  interface TaskRegistry {
    'test.ok': typeof n;
    'test.flaky': typeof n;
    'test.broken': typeof n;
    'test.rows': typeof id;
    'test.slow': typeof none;
  }
}

describe('in-process queue', () => {
  it('runs jobs, retries with backoff, calls onFailed once after the last attempt', async () => {
    const q = new InProcessQueue(log, 2);
    const seen: number[] = [];
    const failed: unknown[] = [];
    let flaky = 0;
    q.register([
      defineJob({ name: 'test.ok', payload: n, handle: async (p) => void seen.push(p.n) }),
      defineJob({
        name: 'test.flaky',
        payload: n,
        attempts: 3,
        backoffMs: 1,
        handle: async () => {
          if (++flaky < 3) throw new Error('not yet');
        },
      }),
      defineJob({
        name: 'test.broken',
        payload: n,
        attempts: 2,
        backoffMs: 1,
        handle: async () => {
          throw new Error('always');
        },
        onFailed: async (p, err) => void failed.push([p.n, (err as Error).message]),
      }),
    ]);
    await q.startWorkers();
    await q.enqueue('test.ok', { n: 1 });
    await q.enqueue('test.ok', { n: 2 });
    await q.enqueue('test.flaky', { n: 3 });
    await q.enqueue('test.broken', { n: 4 });
    await q.drain(5000);
    expect(seen.sort()).toEqual([1, 2]);
    expect(flaky).toBe(3);
    expect(failed).toEqual([[4, 'always']]);
    const stats = await q.stats();
    expect(stats.find((s) => s.name === 'test.broken')).toMatchObject({ failed: 1, waiting: 0, active: 0 });
    await q.close();
  });

  it('deduplicates by job id while waiting, and recover() re-enqueues pending rows at start', async () => {
    const q = new InProcessQueue(log, 1);
    const ran: string[] = [];
    q.register([
      defineJob({
        name: 'test.rows',
        payload: id,
        handle: async (p) => void ran.push(p.id),
        recover: async () => [{ payload: { id: 'left-pending' }, jobId: 'rows-left-pending' }],
      }),
    ]);
    await q.enqueue('test.rows', { id: 'a' }, { jobId: 'rows-a' });
    await q.enqueue('test.rows', { id: 'a' }, { jobId: 'rows-a' });
    await q.startWorkers();
    await q.drain(5000);
    expect(ran.sort()).toEqual(['a', 'left-pending']);
    await q.close();
  });

  it('respects per-job concurrency', async () => {
    const q = new InProcessQueue(log, 8);
    let active = 0;
    let peak = 0;
    q.register([
      defineJob({
        name: 'test.slow',
        payload: none,
        concurrency: 2,
        handle: async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        },
      }),
    ]);
    await q.startWorkers();
    for (let i = 0; i < 10; i++) await q.enqueue('test.slow', {});
    await q.drain(5000);
    expect(peak).toBe(2);
    await q.close();
  });

  it('refuses unknown jobs, bad names, and payloads that do not match the schema (at enqueue and at run)', async () => {
    const q = new InProcessQueue(log, 1);
    // @ts-expect-error -- a name no task registered does not compile
    await expect(q.enqueue('nope', {})).rejects.toThrow(/unknown job/);
    // @ts-expect-error -- neither does a name outside the registry's spelling
    expect(() => defineJob({ name: 'Bad Name', payload: none, handle: async () => undefined })).toThrow();
    const seen: unknown[] = [];
    const def = defineJob({ name: 'test.ok', payload: n, handle: async (p) => void seen.push(p) });
    q.register([def]);
    // @ts-expect-error -- a payload of the wrong shape does not compile
    await expect(q.enqueue('test.ok', { n: 'one' })).rejects.toThrow(/bad payload: n:/);
    // and one that got past the compiler (data from Redis) is refused again when the job runs
    await expect(def.handle({ n: 'one' }, { attempt: 1, log })).rejects.toThrow(BadPayloadError);
    await def.handle({ n: 1 }, { attempt: 1, log });
    expect(seen).toEqual([{ n: 1 }]);
  });
});
