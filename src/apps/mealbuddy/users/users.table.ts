import { bigserial, boolean, doublePrecision, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';

// The whole email is stored lower-cased (the original lower-cased only the domain, docs/apps/mealbuddy.md §11.15),
// so the unique index also rules out case variants.
export const mbUsers = pgTable(
  'mealbuddy_users',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: varchar('email', { length: 254 }).notNull(),
    username: varchar('username', { length: 255 }).notNull(),
    passwordHash: text('password_hash').notNull(),
    address: varchar('address', { length: 200 }).notNull(),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    isActive: boolean('is_active').notNull().default(true),
    isStaff: boolean('is_staff').notNull().default(false),
    /** carried over from the original's Django flag by `madang import` */
    isSuperuser: boolean('is_superuser').notNull().default(false),
    lastLogin: timestamp('last_login', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('mealbuddy_users_email_key').on(t.email),
    uniqueIndex('mealbuddy_users_username_key').on(t.username),
  ],
);

export type MbUser = typeof mbUsers.$inferSelect;
