// Test databases. Embedded runs: a PGlite data dir migrated once (global setup) and dumped; each
// test file loads the dump (~1 s instead of ~4 s to create). Real-services runs (DATABASE_URL):
// one PostgreSQL database per vitest worker, cloned from a migrated template.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { APPS } from '../src/apps/registry.js';
import { CORE_MIGRATIONS } from '../src/container.js';
import { openDatabase, type Database } from '../src/core/db/client.js';
import { migrateAll } from '../src/core/db/migrate.js';


// names carry the run id (the vitest main process), so concurrent runs never drop each other's
const templateDb = (run: string) => `madang_t${run}_template`;
const workerDb = (run: string, worker: number | string) => `madang_t${run}_w${worker}`;

/** every migration module, in order (core first) */
export function allMigrationModules(): string[] {
  return [...CORE_MIGRATIONS, ...APPS.map((a) => a.name)];
}

export function realDatabaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, empty database named `name` on the server at `url` (dropped first if a killed run left
 * it); a process started on it migrates it. `drop()` removes it, over a new connection, so it
 * works after the server was restarted. */
export async function scratchDatabase(url: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = async (statements: string[]) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const s of statements) await client.query(s);
    } finally {
      await client.end();
    }
  };
  await admin([`drop database if exists ${name} with (force)`, `create database ${name}`]);
  return { url: withDatabase(url, name), drop: () => admin([`drop database if exists ${name} with (force)`]) };
}

export function workerDbName(run: string): string {
  return workerDb(run, process.env.VITEST_POOL_ID ?? '0');
}

/** global setup: build the template once */
export async function prepareTemplate(workers: number, dumpFile: string, run: string): Promise<void> {
  const url = realDatabaseUrl();
  if (!url) {
    const db = await openDatabase({ url: 'memory:', dataDir: tmpdir(), poolMax: 1 });
    await migrateAll(db, allMigrationModules());
    await dumpPglite(db, dumpFile);
    await db.close();
    return;
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${templateDb(run)} with (force)`);
    await admin.query(`create database ${templateDb(run)}`);
    const tpl = await openDatabase({ url: withDatabase(url, templateDb(run)), dataDir: tmpdir(), poolMax: 2 });
    await migrateAll(tpl, allMigrationModules());
    await tpl.close();
    for (let i = 0; i <= workers; i++) {
      const name = workerDb(run, i);
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name} template ${templateDb(run)}`);
    }
  } finally {
    await admin.end();
  }
}

async function dumpPglite(db: Database, dumpFile: string): Promise<void> {
  const { writeFileSync } = await import('node:fs');
  const blob = await db.dumpDataDir!();
  writeFileSync(dumpFile, Buffer.from(await blob.arrayBuffer()));
}

/** per test file: open this worker's database */
/** global teardown: drop this run's databases */
export async function dropRunDatabases(workers: number, run: string): Promise<void> {
  const url = realDatabaseUrl();
  if (!url) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    for (let i = 0; i <= workers; i++) await admin.query(`drop database if exists ${workerDb(run, i)} with (force)`);
    await admin.query(`drop database if exists ${templateDb(run)} with (force)`);
  } finally {
    await admin.end();
  }
}

export async function openTestDatabase(dumpFile: string, run: string): Promise<Database> {
  const url = realDatabaseUrl();
  if (url) return openDatabase({ url: withDatabase(url, workerDbName(run)), dataDir: tmpdir(), poolMax: 10 });
  const dump = readFileSync(dumpFile);
  return openDatabase({ url: 'memory:', dataDir: tmpdir(), poolMax: 1, pgliteLoad: new Blob([dump]) });
}
