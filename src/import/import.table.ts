// The importer's own bookkeeping in the target database: which original row became which madang
// row (idempotency and resumption are keyed on it), and one line per run for the operator.
import { bigserial, jsonb, pgTable, primaryKey, timestamp, varchar } from 'drizzle-orm/pg-core';

export const importIds = pgTable(
  'import_ids',
  {
    app: varchar('app', { length: 20 }).notNull(),
    sourceTable: varchar('source_table', { length: 64 }).notNull(),
    sourceId: varchar('source_id', { length: 80 }).notNull(),
    targetId: varchar('target_id', { length: 80 }).notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.app, t.sourceTable, t.sourceId] })],
);

export const importRuns = pgTable('import_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  app: varchar('app', { length: 20 }).notNull(),
  /** the source URL without its password */
  source: varchar('source', { length: 500 }).notNull(),
  status: varchar('status', { length: 12 }).notNull().default('running'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  summary: jsonb('summary'),
});
