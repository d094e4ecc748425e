// Background jobs. Apps declare jobs with defineJob(); services enqueue ids after their transaction
// commits. Two adapters share this contract: in-process (embedded) and BullMQ (Redis, workers).
// Handlers must be idempotent: a job can be delivered again after a crash or a recovery sweep.
import type { Logger } from 'pino';

export interface JobContext {
  attempt: number;
  log: Logger;
}

export interface JobDefinition<P = unknown> {
  name: string;
  handle(payload: P, ctx: JobContext): Promise<void>;
  /** attempts in total, including the first (default 3) */
  attempts?: number;
  /** first retry delay; doubles each attempt (default 1000 ms) */
  backoffMs?: number;
  concurrency?: number;
  /** called once when the last attempt failed: mark the row failed here */
  onFailed?(payload: P, err: unknown): Promise<void>;
  /** rows still pending (e.g. after a restart): re-enqueued when workers start and periodically */
  recover?(): Promise<Array<{ payload: P; jobId: string }>>;
}

export function defineJob<P>(def: JobDefinition<P>): JobDefinition<P> {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(def.name)) throw new Error(`bad job name ${def.name}`);
  return def;
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
  register(defs: JobDefinition<never>[]): void;
  enqueue<P>(name: string, payload: P, opts?: EnqueueOptions): Promise<void>;
  /** start consuming (serve in embedded mode, or the worker command) */
  startWorkers(): Promise<void>;
  stats(): Promise<QueueStats[]>;
  /** resolves when nothing is waiting or running (tests and graceful shutdown) */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const RECOVERY_INTERVAL_MS = 30_000;

export function backoffDelay(def: JobDefinition<never>, attempt: number): number {
  return (def.backoffMs ?? 1000) * 2 ** Math.max(0, attempt - 1);
}
