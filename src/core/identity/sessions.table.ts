// Login sessions shared by every app: one row per login ("token family"). Access and refresh tokens
// carry its id (sid); revoking the row kills both. The current refresh jti detects reuse.
import { index, pgTable, text, timestamp, bigint } from 'drizzle-orm/pg-core';

export const sessions = pgTable(
  'core_sessions',
  {
    id: text('id').primaryKey(),
    app: text('app').notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    refreshJti: text('refresh_jti').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('core_sessions_app_user_idx').on(t.app, t.userId)],
);
