// Tables of the machines app. Every reference is a real foreign key (the original had none,
// docs/apps/machines.md §9.6). Machines are soft-deleted so their runs keep pointing at a row that still names them.
// machines_runs is the original's machines_history: one row per START/STOP ("run").
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { openWhere, taskColumns, taskConstraints, type TaskStatus } from '../../core/tasks/columns.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const machineUsers = pgTable(
  'machines_users',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    username: varchar('username', { length: 150 }).notNull(),
    email: varchar('email', { length: 254 }).notNull(),
    passwordHash: text('password_hash').notNull(),
    firstName: varchar('first_name', { length: 30 }).notNull().default(''),
    lastName: varchar('last_name', { length: 150 }).notNull().default(''),
    isStaff: boolean('is_staff').notNull().default(false),
    isSuperuser: boolean('is_superuser').notNull().default(false),
    isActive: boolean('is_active').notNull().default(true),
    lastLogin: ts('last_login'),
    dateJoined: ts('date_joined').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('machines_users_username_key').on(sql`lower(${t.username})`),
    uniqueIndex('machines_users_email_key').on(sql`lower(${t.email})`),
  ],
);

export const machines = pgTable(
  'machines_machines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: varchar('name', { length: 64 }).notNull(),
    location: varchar('location', { length: 256 }).notNull(),
    /** where the HTTP driver sends commands; separate from location (docs/apps/machines.md §9.3) */
    endpointUrl: varchar('endpoint_url', { length: 512 }),
    status: smallint('status').notNull().default(1),
    ownerId: bigint('owner_id', { mode: 'number' })
      .notNull()
      .references(() => machineUsers.id, { onDelete: 'restrict' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    check('machines_machines_status_check', sql`${t.status} between 0 and 4`),
    index('machines_machines_owner_idx').on(t.ownerId, t.id).where(sql`${t.deletedAt} is null`),
  ],
);

/**
 * One START/STOP command ("run"), a task of core/tasks: queued → running → done | failed. Clients
 * see the original's names (runState): queued is `pending`, and a command refused (not the owner,
 * not allowed in this status) is a failed task with error code REJECTED, shown as `rejected`.
 */
export const runs = pgTable(
  'machines_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    machineId: bigint('machine_id', { mode: 'number' })
      .notNull()
      .references(() => machines.id, { onDelete: 'restrict' }),
    /** who issued the command (the original's `worker` column) */
    workerId: bigint('worker_id', { mode: 'number' })
      .notNull()
      .references(() => machineUsers.id, { onDelete: 'restrict' }),
    machineOwnerId: bigint('machine_owner_id', { mode: 'number' })
      .notNull()
      .references(() => machineUsers.id, { onDelete: 'restrict' }),
    command: varchar('command', { length: 16 }).notNull(),
    result: smallint('result'),
    reason: varchar('reason', { length: 64 }),
    statusAfter: smallint('status_after'),
    requestDatetime: ts('request_datetime').notNull(),
    ...taskColumns(),
  },
  (t) => [
    ...taskConstraints('machines_runs', t),
    check('machines_runs_result_check', sql`${t.result} is null or ${t.result} between 1 and 7`),
    check('machines_runs_command_check', sql`${t.command} in ('START', 'STOP')`),
    // at most one run in progress per machine: the race-proof half of the 409
    uniqueIndex('machines_runs_active_key').on(t.machineId).where(openWhere(t.status)),
    // newest-first pages, optionally narrowed by time range or result (history endpoints)
    index('machines_runs_machine_time_idx').on(t.machineId, t.requestDatetime.desc(), t.id.desc()),
    index('machines_runs_machine_result_idx').on(t.machineId, t.result, t.requestDatetime.desc(), t.id.desc()),
    index('machines_runs_worker_time_idx').on(t.workerId, t.requestDatetime.desc(), t.id.desc()),
    index('machines_runs_worker_result_idx').on(t.workerId, t.result, t.requestDatetime.desc(), t.id.desc()),
    index('machines_runs_owner_time_idx').on(t.machineOwnerId, t.requestDatetime.desc(), t.id.desc()),
  ],
);

/** error code of a run refused (result 5 or 7) */
export const REJECTED = 'REJECTED';
/** error code of a run whose machine was deleted before it ran (result 3) */
export const MACHINE_DELETED = 'MACHINE_DELETED';
/** error code of a run the driver could not carry out (result 3; `reason` says why) */
export const INTERNAL_FAILED = 'INTERNAL_FAILED';
export const RUN_STATES = ['pending', 'running', 'done', 'failed', 'rejected'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** the run's state as the original's clients know it */
export function runState(r: { status: TaskStatus; errorCode: string | null }): RunState {
  if (r.status === 'queued') return 'pending';
  if (r.status === 'failed' && r.errorCode === REJECTED) return 'rejected';
  return r.status;
}

export type MachineUser = typeof machineUsers.$inferSelect;
export type Machine = typeof machines.$inferSelect;
export type Run = typeof runs.$inferSelect;

export const MACHINE_TABLES = ['machines_runs', 'machines_machines', 'machines_users'];
