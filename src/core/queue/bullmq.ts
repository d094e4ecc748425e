// BullMQ adapter: one Redis-backed queue per job name. API processes only enqueue; `worker`
// processes consume (RUN_WORKERS=true lets an API process consume too). The last failed attempt
// calls onFailed inside the worker, so the row is marked failed exactly where the work ran.
// Failed jobs are kept (the newest FAILED_KEEP, for FAILED_KEEP_S at most) so the failed-jobs gauge
// and dashboard show them; completed ones are dropped at once.
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Batcher } from '../tasks/batcher.js';
import type { PayloadOf, TaskName } from '../tasks/registry.js';
import {
  FinalJobError,
  RECOVERY_INTERVAL_MS,
  type EnqueueOptions,
  type JobDefinition,
  type JobQueue,
  type QueueStats,
} from './queue.js';

export const FAILED_KEEP = 1000;
export const FAILED_KEEP_S = 7 * 24 * 3600;

export class BullQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private defs = new Map<string, JobDefinition>();
  private queues = new Map<string, Queue>();
  private workers: Worker[] = [];
  private connections: Redis[] = [];
  private timers: NodeJS.Timeout[] = [];
  private adders = new Map<string, Batcher<{ name: string; data: unknown; opts: JobsOptions }, void>>();

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly defaultConcurrency: number,
  ) {}

  register(defs: JobDefinition[]): void {
    for (const def of defs) {
      if (this.defs.has(def.name)) throw new Error(`job ${def.name} registered twice`);
      this.defs.set(def.name, def);
    }
  }

  private connection(): Redis {
    const c = new Redis(this.url, { maxRetriesPerRequest: null, enableReadyCheck: true });
    c.on('error', (err) => this.log.warn({ err: err.message }, 'redis connection error (queue)'));
    this.connections.push(c);
    return c;
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      if (!this.defs.has(name)) throw new Error(`unknown job ${name}`);
      q = new Queue(name, { connection: this.connection(), prefix: this.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  async enqueue<N extends TaskName>(name: N, payload: PayloadOf<N>, opts: EnqueueOptions = {}): Promise<void> {
    const def = this.def(name);
    def.parse(payload);
    await this.adder(name).add({ name, data: payload, opts: this.jobOptions(def, payload, opts) });
  }

  /**
   * Jobs enqueued at the same moment (many requests at once) go to Redis together: one addBulk (one
   * MULTI, one round trip) per batch instead of one per job. A failed addBulk fails each caller's
   * enqueue, as a failed add would.
   */
  private adder(name: string): Batcher<{ name: string; data: unknown; opts: JobsOptions }, void> {
    let b = this.adders.get(name);
    if (!b) {
      const q = this.queue(name);
      b = new Batcher(async (jobs) => {
        await q.addBulk(jobs);
        return jobs.map(() => undefined);
      }, 1000);
      this.adders.set(name, b);
    }
    return b;
  }

  private def(name: string): JobDefinition {
    const def = this.defs.get(name);
    if (!def) throw new Error(`unknown job ${name}`);
    return def;
  }

  private jobOptions(def: JobDefinition, payload: unknown, opts: EnqueueOptions): JobsOptions {
    return {
      jobId: opts.jobId ?? def.jobIdOf?.(payload),
      delay: opts.delayMs,
      attempts: def.attempts ?? 3,
      backoff: { type: 'exponential', delay: def.backoffMs ?? 1000 },
      removeOnComplete: true,
      removeOnFail: { count: FAILED_KEEP, age: FAILED_KEEP_S },
    };
  }

  async startWorkers(): Promise<void> {
    if (this.workers.length) return;
    for (const def of this.defs.values()) {
      const attempts = def.attempts ?? 3;
      const worker = new Worker(
        def.name,
        async (job: Job) => {
          const log = this.log.child({ job: def.name, jobId: job.id, attempt: job.attemptsMade + 1 });
          try {
            await def.handle(job.data, { attempt: job.attemptsMade + 1, log });
          } catch (err) {
            if (err instanceof FinalJobError) throw new UnrecoverableError(err.message);
            if (job.attemptsMade + 1 >= attempts) {
              log.error({ err }, 'job failed for good');
              await def.onFailed?.(job.data, err).catch((e: unknown) => log.error({ err: e }, 'onFailed threw'));
            } else {
              log.warn({ err }, 'job failed, will retry');
            }
            throw err;
          }
        },
        { connection: this.connection(), prefix: this.prefix, concurrency: def.concurrency ?? this.defaultConcurrency },
      );
      worker.on('error', (err) => this.log.warn({ err: err.message }, 'worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    await Promise.all([...this.defs.values()].map((def) => this.recover(def, true)));
    for (const def of this.defs.values()) {
      if (!def.recover) continue;
      const t = setInterval(() => void this.recover(def, false), def.recoverEveryMs ?? RECOVERY_INTERVAL_MS);
      t.unref();
      this.timers.push(t);
    }
  }

  /** re-enqueues rows still owed work, in one round trip; job ids de-duplicate jobs still queued */
  private async recover(def: JobDefinition, startup: boolean): Promise<void> {
    if (!def.recover) return;
    try {
      const rows = await def.recover(startup);
      if (rows.length === 0) return;
      await this.queue(def.name).addBulk(
        rows.map((r) => ({ name: def.name, data: r.payload, opts: this.jobOptions(def, r.payload, { jobId: r.jobId }) })),
      );
    } catch (err) {
      this.log.error({ err, job: def.name }, 'job recovery failed');
    }
  }

  async stats(): Promise<QueueStats[]> {
    const out: QueueStats[] = [];
    for (const name of this.defs.keys()) {
      const c = await this.queue(name).getJobCounts('waiting', 'active', 'failed', 'completed', 'delayed');
      out.push({
        name,
        waiting: (c.waiting ?? 0) + (c.delayed ?? 0),
        active: c.active ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
      });
    }
    return out;
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.stats();
      if (s.every((q) => q.waiting === 0 && q.active === 0)) return;
      if (Date.now() > deadline) throw new Error('queue did not drain in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
    this.workers = [];
    this.queues.clear();
    this.adders.clear();
    this.connections = [];
  }
}
