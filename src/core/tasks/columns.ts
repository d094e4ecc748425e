// The columns every task table spreads into its own table (machines_runs, zodiac_tasks,
// igemoji_faces, …), so that one set of lease operations (store.ts) serves them all. Apps keep
// their own state names for clients and map them at the edge; the database speaks only these.
import { sql, type SQL } from 'drizzle-orm';
import { check, index, integer, timestamp, uuid, varchar, type PgColumn } from 'drizzle-orm/pg-core';

export const TASK_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** statuses still owed work: counted against limits, swept by recovery */
export const OPEN_STATUSES: readonly TaskStatus[] = ['queued', 'running'];

const ts = (name: string) => timestamp(name, { withTimezone: true });

export function taskColumns() {
  return {
    status: varchar('status', { length: 12 }).$type<TaskStatus>().notNull().default('queued'),
    /** claims so far: retries and takeovers of a dead worker's task both count */
    attempts: integer('attempts').notNull().default(0),
    /** the claim that holds the task (a random id per claim); it alone may complete or release it */
    leaseOwner: uuid('lease_owner'),
    /** the claim is void after this unless renewed; a dead worker's task is taken over then */
    leaseUntil: ts('lease_until'),
    /** why a failed task failed: an app's final error code, or TASK_FAILED / WORKER_LOST */
    errorCode: varchar('error_code', { length: 40 }),
    createdAt: ts('created_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
  };
}

/** the status check and the partial index recovery and per-user limits read */
export function taskConstraints(table: string, t: { status: PgColumn }) {
  return [
    check(`${table}_status_check`, sql`${t.status} in ('queued', 'running', 'done', 'failed')`),
    index(`${table}_open_idx`).on(t.status).where(openWhere(t.status)),
  ];
}

export function openWhere(status: PgColumn): SQL {
  return sql`${status} in ('queued', 'running')`;
}
