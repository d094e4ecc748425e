// One database handle for the process: PGlite (Postgres compiled to WASM, file-backed) by default,
// node-postgres with a pool when DATABASE_URL is a postgres:// URL. Both speak the same SQL, so the
// same migrations and queries serve both.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = PgDatabase<PgQueryResultHKT, any>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  /** runs fn holding a cross-process lock (advisory lock on Postgres; PGlite is single-process) */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: a tarball of the data dir (tests start from a migrated copy) */
  dumpDataDir?(): Promise<Blob>;
}

export interface DbOptions {
  url?: string;
  dataDir: string;
  poolMax: number;
  /** a dumped PGlite data dir to start from (tests start from a migrated template) */
  pgliteLoad?: Blob;
}

export async function openDatabase(opts: DbOptions): Promise<Database> {
  if (opts.url && /^postgres(ql)?:\/\//.test(opts.url)) return openPostgres(opts.url, opts.poolMax);
  return openPglite(opts);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pg = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  // bigint columns (count(*), bigserial) come back as JS numbers: every id here fits in 2^53.
  pg.default.types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.default.Pool({ connectionString: url, max, connectionTimeoutMillis: 2000 });
  pool.on('error', () => undefined); // idle client errors surface on the next query instead
  const db = drizzle({ client: pool }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async withLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [key]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}

async function openPglite(opts: DbOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const memory = opts.url === 'memory:' || opts.url === 'pglite:memory';
  let dataDir: string | undefined;
  if (!memory) {
    dataDir = opts.url?.startsWith('pglite:') ? opts.url.slice('pglite:'.length) : path.join(opts.dataDir, 'pglite');
    mkdirSync(dataDir, { recursive: true });
  }
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(opts.pgliteLoad ? { loadDataDir: opts.pgliteLoad } : {}),
    parsers: { 20: (v: string) => Number(v) },
  });
  const db = drizzle({ client }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    withLock: (_key, fn) => fn(),
    async ping() {
      await client.query('select 1');
    },
    async close() {
      if (!client.closed) await client.close();
    },
    dumpDataDir: () => client.dumpDataDir('none'),
  };
}

/** rows of a raw query, for both drivers */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
