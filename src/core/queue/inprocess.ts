// Embedded queue: jobs run in this process with per-job concurrency and retries with backoff.
// Nothing is kept in memory that the database does not also know: on start (and every
// recoverEveryMs) each job's recover() re-enqueues rows still owed work, so a restart loses nothing.
import type { Logger } from 'pino';
import type { PayloadOf, TaskName } from '../tasks/registry.js';
import {
  backoffDelay,
  FinalJobError,
  RECOVERY_INTERVAL_MS,
  type EnqueueOptions,
  type JobDefinition,
  type JobQueue,
  type QueueStats,
} from './queue.js';

interface Lane {
  def: JobDefinition;
  waiting: Array<{ payload: unknown; jobId?: string; attempt: number }>;
  ids: Set<string>;
  active: number;
  completed: number;
  failed: number;
}

export class InProcessQueue implements JobQueue {
  readonly kind = 'inprocess' as const;
  private lanes = new Map<string, Lane>();
  private running = false;
  private closed = false;
  private timers = new Set<NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private scheduled = 0;

  constructor(private readonly log: Logger, private readonly defaultConcurrency: number) {}

  register(defs: JobDefinition[]): void {
    for (const def of defs) {
      if (this.lanes.has(def.name)) throw new Error(`job ${def.name} registered twice`);
      this.lanes.set(def.name, { def, waiting: [], ids: new Set(), active: 0, completed: 0, failed: 0 });
    }
  }

  async enqueue<N extends TaskName>(name: N, payload: PayloadOf<N>, opts: EnqueueOptions = {}): Promise<void> {
    this.add(name, payload, opts);
  }

  private add(name: string, payload: unknown, opts: EnqueueOptions): void {
    const lane = this.lane(name);
    lane.def.parse(payload);
    const jobId = opts.jobId ?? lane.def.jobIdOf?.(payload);
    if (jobId && lane.ids.has(jobId)) return;
    if (jobId) lane.ids.add(jobId);
    const item = { payload, jobId, attempt: 1 };
    if (opts.delayMs) this.later(opts.delayMs, () => this.push(lane, item));
    else this.push(lane, item);
  }

  async startWorkers(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (const lane of this.lanes.values()) this.pump(lane);
    await Promise.all([...this.lanes.values()].map((lane) => this.recover(lane, true)));
    for (const lane of this.lanes.values()) {
      if (!lane.def.recover) continue;
      const t = setInterval(() => void this.recover(lane, false), lane.def.recoverEveryMs ?? RECOVERY_INTERVAL_MS);
      t.unref();
      this.timers.add(t);
    }
  }

  async stats(): Promise<QueueStats[]> {
    return [...this.lanes.values()].map((l) => ({
      name: l.def.name,
      waiting: l.waiting.length,
      active: l.active,
      failed: l.failed,
      completed: l.completed,
    }));
  }

  drain(timeoutMs = 30_000): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('queue did not drain in time')), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    // jobs still waiting stay pending in the database and are recovered at the next start
    if (this.running) await this.drain(10_000).catch(() => undefined);
  }

  private async recover(lane: Lane, startup: boolean): Promise<void> {
    if (!lane.def.recover || this.closed) return;
    try {
      for (const r of await lane.def.recover(startup)) this.add(lane.def.name, r.payload, { jobId: r.jobId });
    } catch (err) {
      this.log.error({ err, job: lane.def.name }, 'job recovery failed');
    }
  }

  private lane(name: string): Lane {
    const lane = this.lanes.get(name);
    if (!lane) throw new Error(`unknown job ${name}`);
    return lane;
  }

  private push(lane: Lane, item: Lane['waiting'][number]) {
    if (this.closed) return;
    lane.waiting.push(item);
    this.pump(lane);
  }

  private later(ms: number, fn: () => void) {
    this.scheduled++;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.scheduled--;
      fn();
    }, ms);
    this.timers.add(t);
  }

  private pump(lane: Lane) {
    if (!this.running) return;
    const max = lane.def.concurrency ?? this.defaultConcurrency;
    while (lane.active < max && lane.waiting.length > 0) {
      const item = lane.waiting.shift()!;
      lane.active++;
      void this.run(lane, item).finally(() => {
        lane.active--;
        this.pump(lane);
        if (this.idle()) this.idleWaiters.splice(0).forEach((w) => w());
      });
    }
  }

  private async run(lane: Lane, item: Lane['waiting'][number]) {
    const def = lane.def;
    const attempts = def.attempts ?? 3;
    const log = this.log.child({ job: def.name, jobId: item.jobId, attempt: item.attempt });
    try {
      await def.handle(item.payload, { attempt: item.attempt, log });
      lane.completed++;
      if (item.jobId) lane.ids.delete(item.jobId);
    } catch (err) {
      if (item.attempt < attempts && !this.closed && !(err instanceof FinalJobError)) {
        log.warn({ err }, 'job failed, will retry');
        this.later(backoffDelay(def, item.attempt), () => this.push(lane, { ...item, attempt: item.attempt + 1 }));
        return;
      }
      lane.failed++;
      if (item.jobId) lane.ids.delete(item.jobId);
      if (err instanceof FinalJobError) return;
      log.error({ err }, 'job failed for good');
      await def.onFailed?.(item.payload, err).catch((e: unknown) => log.error({ err: e }, 'onFailed threw'));
    }
  }

  private idle(): boolean {
    for (const l of this.lanes.values()) if (l.active > 0 || l.waiting.length > 0) return false;
    return this.scheduled === 0;
  }
}
