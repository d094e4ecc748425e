import { bigint, bigserial, date, index, integer, pgTable, primaryKey, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { mbUsers } from '../users/users.table.js';

// The conversation lives in the database instead of Redis DB 1, so it survives restarts, works
// embedded, and is shared by every API instance.
export const mbMenuTurns = pgTable(
  'mealbuddy_menu_turns',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => mbUsers.id, { onDelete: 'cascade' }),
    role: varchar('role', { length: 16 }).notNull(),
    content: text('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mealbuddy_menu_turns_user_idx').on(t.userId, t.id)],
);

// One counter per user and Korean calendar day: a new day is a new row, so the quota resets at
// midnight Asia/Seoul without the original's flushdb (docs/apps/mealbuddy.md §11.21).
export const mbMenuUsage = pgTable(
  'mealbuddy_menu_usage',
  {
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => mbUsers.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);
