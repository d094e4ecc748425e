// defineTask: background work that owns a row of a task table (taskColumns()), carried by either
// queue adapter. The one rule every task follows:
//
//   1. A service writes the row `queued` in its transaction, and enqueues `{ <key> }` after commit
//      (the payload is checked against the task's schema then, and again when it runs).
//   2. A delivery claims the row: `queued`, or `running` under a lease that ran out. Anything else
//      (finished, or another claim still alive) is skipped: deliveries are idempotent.
//      Every claim counts as an attempt. A claim beyond `attempts` means the earlier workers died
//      holding it: the task fails with WORKER_LOST instead of running again.
//   3. While `run` works, the lease is renewed every leaseMs / 3. A worker that dies stops renewing;
//      once the lease runs out, a recovery sweep (at worker start and every leaseMs) hands the row to
//      another worker, which takes it over.
//   4. `run` ends the task with ctx.complete() (status done; the app's writes go in the same
//      transaction, only if this claim still holds the row) or ctx.fail(code) for an outcome that is
//      a failure. A claim that was lost writes nothing.
//   5. `run` throws:
//      - an error whose code is in `finalErrors` (an AppError, or TaskFailure): the task fails at
//        once with that code; no retry can fix it (no face in the photo, an unreadable image);
//      - anything else: the claim is released (`queued` again) and the queue retries after a
//        backoff (backoffMs, doubling). When that was the last attempt, the task fails with
//        TASK_FAILED instead.
//      A task that failed (by either path, or WORKER_LOST) is a failed job for the queue too: it is
//      counted and kept as failed (metrics, dashboard), and never retried.
//   6. Progress: the task publishes `progress.message(row, event)` on `progress.topics(row)` when
//      it starts running, is done, or has failed (whatever the path), and run() may publish more
//      with ctx.publish(). onFailed runs once after a task was marked failed.
// The row is the source of truth; clients poll it or listen to the topics, and apps map the four
// statuses to the names their clients know.
import type { z } from 'zod';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { FinalJobError, type JobContext, type JobDefinition } from '../queue/queue.js';
import type { RealtimeHub } from '../realtime/hub.js';
import { defineJob } from './job.js';
import type { ParsedPayload, TaskName, TaskRegistry } from './registry.js';
import type { RowOf, TaskKey, TaskStore, TaskTable } from './store.js';

/** stored when the last attempt failed on an error no final code names */
export const TASK_FAILED = 'TASK_FAILED';
/** stored when workers kept dying while holding the task */
export const WORKER_LOST = 'WORKER_LOST';

/** thrown by run() for a failure no retry can fix, when there is no AppError for it */
export class TaskFailure extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'TaskFailure';
  }
}

export type TaskEvent = 'running' | 'done' | 'failed';

export interface TaskContext<T extends TaskTable, K extends TaskKey> {
  readonly row: RowOf<T>;
  readonly key: K;
  /** claims so far, this one included */
  readonly attempt: number;
  readonly log: JobContext['log'];
  /** publishes `{ type: 'progress', ...data }` style messages on the task's topics */
  publish(data: unknown): Promise<void>;
  /** done, if this claim still holds the task; undefined (nothing written) when it was lost */
  complete<R>(opts?: {
    set?: Partial<T['$inferInsert']>;
    write?: (tx: Db, row: RowOf<T>) => Promise<R>;
  }): Promise<{ row: RowOf<T>; out: R | undefined } | undefined>;
  /** an outcome that is a failure (no retry): failed with `code`, if this claim still holds it */
  fail(code: string, set?: Partial<T['$inferInsert']>): Promise<RowOf<T> | undefined>;
}

export interface TaskSpec<N extends TaskName, T extends TaskTable, K extends TaskKey> {
  name: N;
  payload: TaskRegistry[N];
  store: TaskStore<T, K>;
  keyOf(payload: ParsedPayload<N>): K;
  payloadOf(key: K): z.input<TaskRegistry[N] & z.ZodType>;
  run(ctx: TaskContext<T, K>): Promise<void>;
  finalErrors?: readonly string[];
  /** extra columns written with any failure (e.g. a legacy result code), by code */
  failureSet?(code: string): Partial<T['$inferInsert']>;
  onFailed?(row: RowOf<T>, code: string): Promise<void>;
  progress?: {
    hub: RealtimeHub;
    topics(row: RowOf<T>): string[];
    message(row: RowOf<T>, event: TaskEvent): unknown;
    /** close the topics (WebSocket code 1000) once the task is done or failed */
    closeAtEnd?: boolean;
  };
  /** claims in total: retries and takeovers (default 3) */
  attempts?: number;
  backoffMs?: number;
  concurrency?: number;
}

/** the code a thrown error fails the task with at once, if it names one of `finalErrors` */
function finalCode(err: unknown, finalErrors: readonly string[]): string | undefined {
  const code = err instanceof AppError || err instanceof TaskFailure ? err.code : undefined;
  return code !== undefined && finalErrors.includes(code) ? code : undefined;
}

export function defineTask<N extends TaskName, T extends TaskTable, K extends TaskKey>(spec: TaskSpec<N, T, K>): JobDefinition {
  const { store } = spec;
  const attempts = spec.attempts ?? 3;
  const finals = spec.finalErrors ?? [];
  const jobId = (key: K) => `t-${key}`;

  async function publish(row: RowOf<T>, data: unknown): Promise<void> {
    const p = spec.progress;
    if (!p) return;
    await Promise.all(p.topics(row).map((topic) => p.hub.publish(topic, data))).catch(() => undefined);
  }

  async function announce(row: RowOf<T>, event: TaskEvent): Promise<void> {
    const p = spec.progress;
    if (!p) return;
    await publish(row, await p.message(row, event));
    if (p.closeAtEnd && event !== 'running') {
      await Promise.all(p.topics(row).map((topic) => p.hub.closeTopic(topic, 1000, event))).catch(() => undefined);
    }
  }

  async function failed(row: RowOf<T> | undefined, code: string): Promise<void> {
    if (!row) return;
    await announce(row, 'failed');
    await spec.onFailed?.(row, code);
  }

  const fail = async (key: K, code: string, owner?: string, set?: Partial<T['$inferInsert']>) => {
    const row = await store.fail(key, code, { owner, set: { ...spec.failureSet?.(code), ...set } });
    await failed(row, code);
    return row;
  };

  async function handle(payload: ParsedPayload<N>, jobCtx: JobContext): Promise<void> {
    const key = spec.keyOf(payload);
    const claim = await store.claim(key);
    if (!claim) return;
    const { row, owner } = claim;
    const log = jobCtx.log.child({ task: spec.name, key, attempt: row.attempts });
    if (row.attempts > attempts) {
      log.error('task abandoned: its workers kept stopping while holding it');
      await fail(key, WORKER_LOST, owner);
      throw new FinalJobError(WORKER_LOST);
    }
    if (row.attempts > 1) log.warn('task claimed again (retry or takeover)');
    await announce(row, 'running');
    const beat = setInterval(() => {
      store.renew(key, owner).catch((err: unknown) => log.warn({ err }, 'lease renewal failed'));
    }, Math.max(50, Math.floor(store.leaseMs / 3)));
    beat.unref();
    const ctx: TaskContext<T, K> = {
      row,
      key,
      attempt: row.attempts,
      log,
      publish: (data) => publish(row, data),
      async complete(opts) {
        const done = await store.complete(key, owner, opts);
        if (!done) log.warn('claim lost to a takeover; result discarded');
        else await announce(done.row, 'done');
        return done;
      },
      fail: (code, set) => fail(key, code, owner, set),
    };
    try {
      await spec.run(ctx);
    } catch (err) {
      const code = finalCode(err, finals);
      if (code) {
        log.info({ code }, 'task failed for good');
        await fail(key, code, owner);
        throw new FinalJobError(code, { cause: err });
      }
      if (row.attempts >= attempts) {
        log.error({ err }, 'task failed on its last attempt');
        await fail(key, TASK_FAILED, owner);
        throw new FinalJobError(TASK_FAILED, { cause: err });
      }
      log.warn({ err }, 'task failed; released for a retry');
      await store.release(key, owner);
      throw err;
    } finally {
      clearInterval(beat);
    }
  }

  return defineJob<N>({
    name: spec.name,
    payload: spec.payload,
    handle,
    attempts,
    backoffMs: spec.backoffMs,
    concurrency: spec.concurrency,
    jobIdOf: (p) => jobId(spec.keyOf(p)),
    // the queue gave up (every delivery threw before the rule above could decide): fail the row
    onFailed: async (p) => void (await fail(spec.keyOf(p), TASK_FAILED)),
    recoverEveryMs: Math.min(30_000, Math.max(1_000, store.leaseMs)),
    async recover(startup) {
      const rows = await store.recoverable(startup ? {} : { queuedOlderThanMs: store.leaseMs });
      // a takeover gets its own job id: the dead worker's job may still sit in the queue as active
      return rows.map((r) => ({
        payload: spec.payloadOf(r.key),
        jobId: r.status === 'queued' ? jobId(r.key) : `${jobId(r.key)}-a${r.attempts}`,
      }));
    },
  });
}
