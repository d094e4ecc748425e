// A room's members and messages. The room itself belongs to its post (posts/posts.table.ts).
import { bigint, bigserial, boolean, index, pgTable, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { mbRooms } from '../posts/posts.table.js';
import { mbUsers } from '../users/users.table.js';

// One row per (room, user), reused on re-join (the original had no unique constraint and could
// duplicate rows, docs/apps/mealbuddy.md §11.11). A ban is a flag on the row instead of the original's string array.
export const mbJoins = pgTable(
  'mealbuddy_chat_joins',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    roomId: bigint('room_id', { mode: 'number' })
      .notNull()
      .references(() => mbRooms.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => mbUsers.id, { onDelete: 'cascade' }),
    isActive: boolean('is_active').notNull().default(true),
    isBanned: boolean('is_banned').notNull().default(false),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('mealbuddy_chat_joins_room_user_key').on(t.roomId, t.userId), index('mealbuddy_chat_joins_user_idx').on(t.userId)],
);

// user_id null marks a system message (join/leave notices).
export const mbMessages = pgTable(
  'mealbuddy_chat_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    roomId: bigint('room_id', { mode: 'number' })
      .notNull()
      .references(() => mbRooms.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' }).references(() => mbUsers.id, { onDelete: 'cascade' }),
    message: varchar('message', { length: 300 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mealbuddy_chat_messages_room_idx').on(t.roomId, t.id)],
);

export type MbJoin = typeof mbJoins.$inferSelect;
