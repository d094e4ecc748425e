import { bigint, bigserial, index, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';
import { mbUsers } from './users.table.js';

// Every change of a user's address (issue 15 #4): the neighbourhood decides whose posts and rooms
// a user sees, so moving is limited per day and each move is kept here — who, from where, to
// where, when — for staff to review. The user's own rows go with the account (cascade).
export const mbAddressChanges = pgTable(
  'mealbuddy_address_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => mbUsers.id, { onDelete: 'cascade' }),
    oldAddress: varchar('old_address', { length: 200 }).notNull(),
    newAddress: varchar('new_address', { length: 200 }).notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mealbuddy_address_changes_user_idx').on(t.userId, t.changedAt)],
);

export type MbAddressChange = typeof mbAddressChanges.$inferSelect;
