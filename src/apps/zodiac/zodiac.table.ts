import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { taskColumns, taskConstraints } from '../../core/tasks/columns.js';
import { TASK_FAILED, WORKER_LOST } from '../../core/tasks/task.js';

// The public id is the uuid (every {user_id} in a path); the original never made it unique (docs/apps/zodiac.md §13.11).
export const zodiacUsers = pgTable(
  'zodiac_users',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    uuid: uuid('uuid').notNull().defaultRandom(),
    username: varchar('username', { length: 20 }).notNull(),
    alias: varchar('alias', { length: 20 }).notNull(),
    email: varchar('email', { length: 200 }).notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('zodiac_users_uuid_key').on(t.uuid),
    uniqueIndex('zodiac_users_username_key').on(sql`lower(${t.username})`),
    uniqueIndex('zodiac_users_alias_key').on(t.alias),
    uniqueIndex('zodiac_users_email_key').on(sql`lower(${t.email})`),
  ],
);

/** one uploaded photo; `uuid` is the picuuid the client sees */
export const zodiacPictures = pgTable(
  'zodiac_pictures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    uuid: uuid('uuid').notNull().defaultRandom(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => zodiacUsers.id, { onDelete: 'cascade' }),
    originalKey: varchar('original_key', { length: 80 }).notNull(),
    thumbnailKey: varchar('thumbnail_key', { length: 80 }).notNull(),
    mime: varchar('mime', { length: 20 }).notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('zodiac_pictures_uuid_key').on(t.uuid), index('zodiac_pictures_user_idx').on(t.userId, t.createdAt)],
);

/**
 * The analysis of one picture, a task of core/tasks: queued → running → done | failed (clients see
 * `analyzing` for running). A task whose worker died while analysing is taken over once its lease
 * runs out.
 */
export const zodiacTasks = pgTable(
  'zodiac_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => zodiacUsers.id, { onDelete: 'cascade' }),
    pictureId: bigint('picture_id', { mode: 'number' })
      .notNull()
      .references(() => zodiacPictures.id, { onDelete: 'cascade' }),
    challengeId: smallint('challenge_id'),
    /** measurements, z-scores, face box and explanation, for the result payload */
    detail: jsonb('detail'),
    ...taskColumns(),
  },
  (t) => [uniqueIndex('zodiac_tasks_picture_key').on(t.pictureId), ...taskConstraints('zodiac_tasks', t)],
);

/** top-3 rows per analysed picture; rank 1 is the look-alike (the original had no rank, §3) */
export const zodiacResults = pgTable(
  'zodiac_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => zodiacUsers.id, { onDelete: 'cascade' }),
    pictureId: bigint('picture_id', { mode: 'number' })
      .notNull()
      .references(() => zodiacPictures.id, { onDelete: 'cascade' }),
    animalId: smallint('animal_id').notNull(),
    rank: smallint('rank').notNull(),
    similarity: doublePrecision('similarity').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('zodiac_results_picture_rank_key').on(t.pictureId, t.rank),
    index('zodiac_results_top_idx').on(t.createdAt).where(sql`${t.rank} = 1`),
    index('zodiac_results_user_idx').on(t.userId, t.createdAt),
  ],
);

export const zodiacUserChallenges = pgTable(
  'zodiac_user_challenges',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => zodiacUsers.id, { onDelete: 'cascade' }),
    challengeId: smallint('challenge_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('zodiac_user_challenges_key').on(t.userId, t.challengeId)],
);

/** the task status as zodiac's clients know it (poll, WebSocket, history) */
export function clientStatus(status: string | null): 'queued' | 'analyzing' | 'done' | 'failed' {
  if (status === 'running') return 'analyzing';
  if (status === 'done' || status === 'failed') return status;
  return 'queued';
}

/** the code a failed analysis shows: its final error, or ANALYSIS_FAILED for the task rules' own */
export function failureCode(errorCode: string | null): string {
  return errorCode && errorCode !== TASK_FAILED && errorCode !== WORKER_LOST ? errorCode : 'ANALYSIS_FAILED';
}

export type ZodiacUser = typeof zodiacUsers.$inferSelect;
export type ZodiacPicture = typeof zodiacPictures.$inferSelect;
export type ZodiacTask = typeof zodiacTasks.$inferSelect;
export const ZODIAC_TABLES = ['zodiac_users', 'zodiac_pictures', 'zodiac_tasks', 'zodiac_results', 'zodiac_user_challenges'];
