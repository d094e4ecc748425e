import { sql } from 'drizzle-orm';
import { bigserial, boolean, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';

// email is nullable: the original made it unique NOT NULL and never set it, so a second sign-up
// collided on '' (docs/apps/auth.md §9.1).
export const authUsers = pgTable(
  'auth_users',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    username: varchar('username', { length: 150 }).notNull(),
    passwordHash: text('password_hash').notNull(),
    nickname: varchar('nickname', { length: 128 }).notNull(),
    email: varchar('email', { length: 254 }),
    isActive: boolean('is_active').notNull().default(true),
    /** carried over from the original's Django flags by `madang import`; no route reads them yet */
    isStaff: boolean('is_staff').notNull().default(false),
    isSuperuser: boolean('is_superuser').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastLogin: timestamp('last_login', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('auth_users_username_key').on(t.username),
    uniqueIndex('auth_users_nickname_key').on(t.nickname),
    uniqueIndex('auth_users_email_key').on(t.email).where(sql`${t.email} is not null`),
  ],
);

export type AuthUser = typeof authUsers.$inferSelect;
