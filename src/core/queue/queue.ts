// Background jobs: the transport under core/tasks. Jobs are declared with defineJob() or (a row
// under a lease) defineTask() in core/tasks; services enqueue after their transaction commits.
// Two adapters share this contract: in-process (embedded) and BullMQ (Redis, workers). Both check
// a payload against the job's schema when it is enqueued, and the job checks it again when it runs.
// Handlers must be idempotent: a job can be delivered again after a crash or a recovery sweep.
import type { Logger } from 'pino';
import type { PayloadOf, TaskName } from '../tasks/registry.js';

export interface JobContext {
  attempt: number;
  log: Logger;
}

/**
 * The job failed for good and has recorded so itself (a task marked its row failed): the queue
 * counts it as failed (the failed-jobs gauge, kept failed jobs) but neither retries it nor calls
 * onFailed.
 */
export class FinalJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FinalJobError';
  }
}

/** A payload that does not match its job's schema: no retry can fix it. */
export class BadPayloadError extends FinalJobError {
  constructor(job: string, detail: string) {
    super(`job ${job}: bad payload: ${detail}`);
    this.name = 'BadPayloadError';
  }
}

/** A job as the adapters see it: payloads are checked by the job itself, so they travel as unknown. */
export interface JobDefinition {
  readonly name: string;
  /** the payload as the handler will see it; throws BadPayloadError */
  parse(payload: unknown): unknown;
  handle(payload: unknown, ctx: JobContext): Promise<void>;
  /** deliveries in total, including the first (default 3) */
  attempts?: number;
  /** first retry delay; doubles each attempt (default 1000 ms) */
  backoffMs?: number;
  /** jobs of this kind run at once per process (default QUEUE_CONCURRENCY) */
  concurrency?: number;
  /** the job id a payload gets when the caller names none (de-duplicates deliveries of one row) */
  jobIdOf?(payload: unknown): string | undefined;
  /** called once when the last attempt failed */
  onFailed?(payload: unknown, err: unknown): Promise<void>;
  /**
   * rows still owed work (after a restart, a lost enqueue, a dead worker): re-enqueued when workers
   * start (`startup` true) and every `recoverEveryMs`
   */
  recover?(startup: boolean): Promise<Array<{ payload: unknown; jobId: string }>>;
  recoverEveryMs?: number;
}

export interface EnqueueOptions {
  /** de-duplicates: a job with the same id already waiting is not added twice */
  jobId?: string;
  delayMs?: number;
}

export interface QueueStats {
  name: string;
  waiting: number;
  active: number;
  failed: number;
  completed: number;
}

export interface JobQueue {
  readonly kind: 'inprocess' | 'bullmq';
  register(defs: JobDefinition[]): void;
  /** validated against the job's schema here (BadPayloadError) and again when it runs */
  enqueue<N extends TaskName>(name: N, payload: PayloadOf<N>, opts?: EnqueueOptions): Promise<void>;
  /** start consuming (serve in embedded mode, or the worker command) */
  startWorkers(): Promise<void>;
  stats(): Promise<QueueStats[]>;
  /** resolves when nothing is waiting or running (tests and graceful shutdown) */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const RECOVERY_INTERVAL_MS = 30_000;

export function backoffDelay(def: JobDefinition, attempt: number): number {
  return (def.backoffMs ?? 1000) * 2 ** Math.max(0, attempt - 1);
}
