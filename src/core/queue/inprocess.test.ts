import { describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.js';
import { InProcessQueue } from './inprocess.js';
import { defineJob } from './queue.js';

const log = createLogger('silent');

describe('in-process queue', () => {
  it('runs jobs, retries with backoff, calls onFailed once after the last attempt', async () => {
    const q = new InProcessQueue(log, 2);
    const seen: number[] = [];
    const failed: unknown[] = [];
    let flaky = 0;
    q.register([
      defineJob<{ n: number }>({ name: 'ok', handle: async (p) => void seen.push(p.n) }),
      defineJob<{ n: number }>({
        name: 'flaky',
        attempts: 3,
        backoffMs: 1,
        handle: async () => {
          if (++flaky < 3) throw new Error('not yet');
        },
      }),
      defineJob<{ n: number }>({
        name: 'broken',
        attempts: 2,
        backoffMs: 1,
        handle: async () => {
          throw new Error('always');
        },
        onFailed: async (p, err) => void failed.push([p.n, (err as Error).message]),
      }),
    ] as never);
    await q.startWorkers();
    await q.enqueue('ok', { n: 1 });
    await q.enqueue('ok', { n: 2 });
    await q.enqueue('flaky', { n: 3 });
    await q.enqueue('broken', { n: 4 });
    await q.drain(5000);
    expect(seen.sort()).toEqual([1, 2]);
    expect(flaky).toBe(3);
    expect(failed).toEqual([[4, 'always']]);
    const stats = await q.stats();
    expect(stats.find((s) => s.name === 'broken')).toMatchObject({ failed: 1, waiting: 0, active: 0 });
    await q.close();
  });

  it('deduplicates by job id while waiting, and recover() re-enqueues pending rows at start', async () => {
    const q = new InProcessQueue(log, 1);
    const ran: string[] = [];
    q.register([
      defineJob<{ id: string }>({
        name: 'rows',
        handle: async (p) => void ran.push(p.id),
        recover: async () => [{ payload: { id: 'left-pending' }, jobId: 'rows-left-pending' }],
      }),
    ] as never);
    await q.enqueue('rows', { id: 'a' }, { jobId: 'rows-a' });
    await q.enqueue('rows', { id: 'a' }, { jobId: 'rows-a' });
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
        name: 'slow',
        concurrency: 2,
        handle: async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        },
      }),
    ] as never);
    await q.startWorkers();
    for (let i = 0; i < 10; i++) await q.enqueue('slow', {});
    await q.drain(5000);
    expect(peak).toBe(2);
    await q.close();
  });

  it('refuses unknown jobs and bad names', async () => {
    const q = new InProcessQueue(log, 1);
    await expect(q.enqueue('nope', {})).rejects.toThrow(/unknown job/);
    expect(() => defineJob({ name: 'Bad Name', handle: async () => undefined })).toThrow();
  });
});
