// Applies each module's drizzle-kit migrations (drizzle/<module>/) with its own bookkeeping table,
// so apps own their schema and can be generated independently. Serialised across processes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.js';

export const MIGRATIONS_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');
const MIGRATION_LOCK = 7_300_001;

export async function migrateAll(database: Database, modules: readonly string[]): Promise<void> {
  await database.withLock(MIGRATION_LOCK, async () => {
    for (const mod of modules) {
      const folder = path.join(MIGRATIONS_ROOT, mod);
      if (!existsSync(path.join(folder, 'meta', '_journal.json'))) continue;
      const config = { migrationsFolder: folder, migrationsTable: `__migrations_${mod}`, migrationsSchema: 'public' };
      if (database.kind === 'postgres') {
        const { migrate } = await import('drizzle-orm/node-postgres/migrator');
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await migrate(database.db as any, config);
      } else {
        const { migrate } = await import('drizzle-orm/pglite/migrator');
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await migrate(database.db as any, config);
      }
    }
  });
}
