import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { taskColumns, taskConstraints } from '../../core/tasks/columns.js';
import { TASK_FAILED, WORKER_LOST } from '../../core/tasks/task.js';

export const igemojiUsers = pgTable(
  'igemoji_users',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: varchar('email', { length: 200 }).notNull(),
    alias: varchar('alias', { length: 20 }).notNull(),
    passwordHash: text('password_hash').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('igemoji_users_email_key').on(sql`lower(${t.email})`), uniqueIndex('igemoji_users_alias_key').on(t.alias)],
);

/**
 * A template: 7 pictures in docs/apps/igemoji.md §6.2 order (neutral, angry, disgust, fear, happy, sad, surprise).
 * `images` holds storage keys; a built-in template (no creator) holds `twemoji:<codepoint>` instead
 * and its pictures are rendered from the bundled SVGs on demand.
 */
export const igemojiEmojis = pgTable(
  'igemoji_emojis',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' }).references(() => igemojiUsers.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 200 }).notNull(),
    images: text('images').array().notNull(),
    builtinKey: varchar('builtin_key', { length: 40 }),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('igemoji_emojis_builtin_key').on(t.builtinKey),
    index('igemoji_emojis_active_idx').on(t.active, t.id),
    index('igemoji_emojis_user_idx').on(t.userId, t.id),
    check('igemoji_emojis_seven_images', sql`cardinality(${t.images}) = 7`),
  ],
);

/**
 * One uploaded photo and its compositing task, a task of core/tasks: queued → running → done |
 * failed (clients see `processing` for running). A task whose worker died is taken over once its
 * lease runs out.
 */
export const igemojiFaces = pgTable(
  'igemoji_faces',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    taskId: uuid('task_id').notNull().defaultRandom(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => igemojiUsers.id, { onDelete: 'cascade' }),
    emojiId: bigint('emoji_id', { mode: 'number' })
      .notNull()
      .references(() => igemojiEmojis.id, { onDelete: 'cascade' }),
    imageKey: varchar('image_key', { length: 80 }).notNull(),
    ...taskColumns(),
  },
  (t) => [
    uniqueIndex('igemoji_faces_task_key').on(t.taskId),
    index('igemoji_faces_user_idx').on(t.userId, t.id),
    ...taskConstraints('igemoji_faces', t),
  ],
);

/** A finished composite, written once by the worker; `faces` explains it (box, expression, scores). */
export const igemojiResults = pgTable(
  'igemoji_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    uuid: uuid('uuid').notNull().defaultRandom(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => igemojiUsers.id, { onDelete: 'cascade' }),
    faceId: bigint('face_id', { mode: 'number' })
      .notNull()
      .references(() => igemojiFaces.id, { onDelete: 'cascade' }),
    emojiId: bigint('emoji_id', { mode: 'number' })
      .notNull()
      .references(() => igemojiEmojis.id, { onDelete: 'cascade' }),
    imageKey: varchar('image_key', { length: 80 }).notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    faces: jsonb('faces').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('igemoji_results_face_key').on(t.faceId),
    uniqueIndex('igemoji_results_uuid_key').on(t.uuid),
    index('igemoji_results_user_idx').on(t.userId, t.id),
    index('igemoji_results_ranking_idx').on(t.createdAt, t.emojiId),
  ],
);

/** the task status as igemoji's clients know it (poll, WebSocket) */
export function clientStatus(status: string): 'queued' | 'processing' | 'done' | 'failed' {
  if (status === 'running') return 'processing';
  if (status === 'done' || status === 'failed') return status;
  return 'queued';
}

/** the code a failed task shows: its final error, or AI_ERROR for the task rules' own */
export function failureCode(errorCode: string | null): string {
  return errorCode && errorCode !== TASK_FAILED && errorCode !== WORKER_LOST ? errorCode : 'AI_ERROR';
}

export type IgemojiUser = typeof igemojiUsers.$inferSelect;
export type IgemojiEmoji = typeof igemojiEmojis.$inferSelect;
export type IgemojiFace = typeof igemojiFaces.$inferSelect;
export type IgemojiResult = typeof igemojiResults.$inferSelect;

export const IGEMOJI_TABLES = ['igemoji_results', 'igemoji_faces', 'igemoji_emojis', 'igemoji_users'];
