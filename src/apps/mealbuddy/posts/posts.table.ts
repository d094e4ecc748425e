import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { mbUsers } from '../users/users.table.js';

// address is a snapshot of the writer's address at creation, as long as the user's (200; the
// original's 30 made long addresses fail with a 500, docs/apps/mealbuddy.md §11.17). join_number is kept equal to
// the count of active joins by the chat service, inside the transaction that changes a join.
export const mbPosts = pgTable(
  'mealbuddy_posts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    title: varchar('title', { length: 30 }).notNull(),
    category: varchar('category', { length: 30 }).notNull(),
    content: text('content').notNull(),
    writerId: bigint('writer_id', { mode: 'number' })
      .notNull()
      .references(() => mbUsers.id, { onDelete: 'cascade' }),
    address: varchar('address', { length: 200 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    isCompelete: boolean('is_compelete').notNull().default(false),
    targetNumber: integer('target_number').notNull(),
    joinNumber: integer('join_number').notNull().default(0),
  },
  (t) => [
    // ascending on purpose: scanned backwards they give `created_at desc, id desc` (nulls first),
    // the list's order; a DESC (nulls last) index would not match it
    index('mealbuddy_posts_address_idx').on(t.address, t.createdAt, t.id),
    index('mealbuddy_posts_address_category_idx').on(t.address, t.category, t.createdAt, t.id),
    index('mealbuddy_posts_writer_idx').on(t.writerId),
    check('mealbuddy_posts_join_number_check', sql`${t.joinNumber} >= 0 and ${t.joinNumber} <= ${t.targetNumber}`),
    check('mealbuddy_posts_target_number_check', sql`${t.targetNumber} between 1 and 10`),
  ],
);

export type MbPost = typeof mbPosts.$inferSelect;

// A post owns its chat room (one each, gone with the post): chat/ keeps the room's members and
// messages and depends on posts/, never the other way round.
export const mbRooms = pgTable(
  'mealbuddy_chat_rooms',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => mbPosts.id, { onDelete: 'cascade' }),
    isDeleted: boolean('is_deleted').notNull().default(false),
  },
  (t) => [uniqueIndex('mealbuddy_chat_rooms_post_key').on(t.postId)],
);

export type MbRoom = typeof mbRooms.$inferSelect;
