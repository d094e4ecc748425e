// One database handle for the process: PGlite (Postgres compiled to WASM, file-backed) by default,
// node-postgres with a pool when DATABASE_URL is a postgres:// URL. Both speak the same SQL, so the
// same migrations and queries serve both.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { getTableColumns, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core';
import { durableNodeFs, pgliteStartParams, seedFromImage } from './pglite-disk.js';
import { compilePglite, type WasmChoice } from './pglite-wasm.js';

export { pgliteFsyncs, pgliteStartParams } from './pglite-disk.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = PgDatabase<PgQueryResultHKT, any>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  /** runs fn holding a cross-process lock (advisory lock on Postgres; PGlite is single-process) */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /**
   * LISTEN on a channel: `onMessage` gets each NOTIFY payload; `onLive(false)` when notifications
   * may be missed from now on (the listening connection was lost), `onLive(true)` once they are
   * heard again. Resolves to a function that stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onLive: (live: boolean) => void): Promise<() => Promise<void>>;
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
  /** how V8 compiles PGlite's WebAssembly (pglite-wasm.ts); unset: V8's own tiering */
  wasm?: WasmChoice;
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
  const listeners = new Set<() => Promise<void>>();
  // Pooled connections LISTEN too. PostgreSQL hands a listening session its own transaction's
  // notifications before ReadyForQuery, so a change written through this pool — by a service or by
  // a test's SQL — has reached the handlers when the write resolves. A connection LISTENs while it
  // is idle and checked out by nobody, before the checkout is handed over: a query is never sent
  // to a client that is busy (pg@8 warns and pg@9 refuses), and once every channel is heard a
  // checkout costs nothing more (docs/performance.md).
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const listening = new WeakMap<object, Set<string>>();
  type PoolClient = import('pg').PoolClient;
  const prepare = async (client: PoolClient): Promise<void> => {
    let has = listening.get(client);
    if (!has) {
      listening.set(client, (has = new Set()));
      client.on('notification', (n) => {
        for (const fn of handlers.get(n.channel) ?? []) fn(n.payload ?? '');
      });
    }
    for (const channel of handlers.keys()) {
      if (has.has(channel)) continue;
      await client.query(`LISTEN ${channel}`);
      has.add(channel);
    }
  };
  const needsPrepare = (client: PoolClient): boolean => {
    const has = listening.get(client);
    return !has || has.size < handlers.size;
  };
  // pool.query() and drizzle's transactions both check out through pool.connect
  const rawConnect = pool.connect.bind(pool) as () => Promise<PoolClient>;
  const connect = async (): Promise<PoolClient> => {
    const client = await rawConnect();
    if (!needsPrepare(client)) return client;
    try {
      await prepare(client);
    } catch (err) {
      client.release(err as Error); // a connection that cannot LISTEN is dropped, not reused
      throw err;
    }
    return client;
  };
  (pool as unknown as { connect: unknown }).connect = (cb?: (err: Error | undefined, client?: PoolClient, done?: (e?: Error) => void) => void) => {
    if (!cb) return connect();
    connect().then(
      (client) => cb(undefined, client, client.release),
      (err: Error) => cb(err, undefined, () => undefined),
    );
    return undefined;
  };
  const db = drizzle({ client: pool }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async listen(channel, onMessage, onLive) {
      // the dedicated connection hears every change even when the pool is idle, and notices gaps
      const stop = await listenPostgres(pg.default, url, channel, onMessage, onLive);
      if (!handlers.has(channel)) handlers.set(channel, new Set());
      handlers.get(channel)!.add(onMessage);
      const remove = async () => {
        listeners.delete(remove);
        handlers.get(channel)?.delete(onMessage);
        await stop();
      };
      listeners.add(remove);
      return remove;
    },
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
    async close() {
      for (const stop of [...listeners]) await stop();
      await pool.end();
    },
  };
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;
const RELISTEN_MS = 1000;

/**
 * A dedicated connection (LISTEN holds its session) that reconnects after a loss; it reports not
 * live from the loss until LISTEN runs again, since notifications sent meanwhile are gone.
 */
async function listenPostgres(
  pg: typeof import('pg').default,
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onLive: (live: boolean) => void,
): Promise<() => Promise<void>> {
  if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
  let current: import('pg').Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    timer = undefined;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (current === client) current = undefined;
      client.end().catch(() => undefined);
      onLive(false);
      if (!stopped) timer = setTimeout(() => void connect(), RELISTEN_MS);
    };
    client.on('notification', (n) => {
      if (n.channel === channel) onMessage(n.payload ?? '');
    });
    client.on('error', onLost);
    client.on('end', onLost);
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch {
      onLost();
      return;
    }
    if (stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    current = client;
    onLive(true);
  };
  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const client = current;
    current = undefined;
    if (client) {
      client.removeAllListeners('end');
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  };
}

async function openPglite(opts: DbOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const memory = opts.url === 'memory:' || opts.url === 'pglite:memory';
  let dataDir: string | undefined;
  if (!memory) {
    dataDir = opts.url?.startsWith('pglite:') ? opts.url.slice('pglite:'.length) : path.join(opts.dataDir, 'pglite');
    mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o700 });
    // a new data dir starts from the initialised image made at build time, not from initdb in WASM
    if (!opts.pgliteLoad) seedFromImage(dataDir);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }
  const disk = dataDir ? await durableNodeFs(dataDir) : undefined;
  const client = await compilePglite(opts.wasm, () =>
    PGlite.create({
      ...(disk ? { fs: disk } : {}),
      ...(opts.pgliteLoad ? { loadDataDir: opts.pgliteLoad } : {}),
      startParams: pgliteStartParams(dataDir !== undefined),
      parsers: { 20: (v: string) => Number(v) },
    }),
  );
  disk?.started();
  const db = drizzle({ client }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    withLock: (_key, fn) => fn(),
    async listen(channel, onMessage, onLive) {
      // one process owns the database: nothing can be missed
      const unlisten = await client.listen(channel, onMessage);
      onLive(true);
      return async () => {
        if (!client.closed) await unlisten();
      };
    },
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

/**
 * Maps raw rows of `table` (column names, values as the driver returns them, e.g. from a hand-written
 * `insert … returning *` through db.execute) to what drizzle's own queries answer (property names,
 * mapped values: Date for timestamps, numbers for bigint in number mode).
 */
export function rowMapper<T extends PgTable>(table: T): (raw: Record<string, unknown>) => T['$inferSelect'] {
  const cols = Object.entries(getTableColumns(table));
  return (raw) => {
    const out: Record<string, unknown> = {};
    for (const [prop, col] of cols) {
      const v = raw[col.name];
      out[prop] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
    }
    return out as T['$inferSelect'];
  };
}
