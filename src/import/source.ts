// Readers for the originals' databases: PostgreSQL (auth, machines, mealbuddy) and MySQL/MariaDB
// (zodiac, igemoji). Read-only, one connection, keyset pages by id so that a table of any size is
// read in bounded memory and a resumed run reads the same order.
import pg from 'pg';

export type Row = Record<string, unknown>;
export type Dialect = 'postgres' | 'mysql';

export interface Source {
  dialect: Dialect;
  /** the URL without its password, for reports */
  label: string;
  hasTable(table: string): Promise<boolean>;
  count(table: string): Promise<number>;
  maxId(table: string): Promise<number>;
  /** rows with id > after, by id, at most `limit` */
  page(table: string, after: number, limit: number): Promise<Row[]>;
  /** rows whose `column` is one of `values` */
  whereIn(table: string, column: string, values: ReadonlyArray<number | string>): Promise<Row[]>;
  /** a query in the source's own dialect (placeholders $1… on PostgreSQL, ? on MySQL) */
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export class SourceError extends Error {}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function ident(name: string, quote: string): string {
  if (!IDENT.test(name)) throw new SourceError(`bad identifier ${name}`);
  return `${quote}${name}${quote}`;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export function dialectOf(url: string): Dialect {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  throw new SourceError('--from must be a postgres://, mysql:// or mariadb:// URL');
}

export async function openSource(url: string): Promise<Source> {
  return dialectOf(url) === 'postgres' ? openPostgresSource(url) : openMysqlSource(url);
}

async function openPostgresSource(url: string): Promise<Source> {
  // bigint ids as numbers (Django's ids fit in 2^53), per client: the target pool sets its own
  const types = {
    getTypeParser: ((oid: number, format?: string) =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  const client = new pg.Client({ connectionString: url, types, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  // a consistent snapshot for the whole run: rows committed later are not half-seen
  await client.query('begin isolation level repeatable read read only');
  const q = (name: string) => ident(name, '"');
  return {
    dialect: 'postgres',
    label: redactUrl(url),
    async hasTable(table) {
      const r = await client.query('select to_regclass($1) is not null as ok', [q(table)]);
      return Boolean(r.rows[0]?.ok);
    },
    async count(table) {
      const r = await client.query(`select count(*)::int as n from ${q(table)}`);
      return Number(r.rows[0]?.n ?? 0);
    },
    async maxId(table) {
      const r = await client.query(`select coalesce(max(id), 0) as n from ${q(table)}`);
      return Number(r.rows[0]?.n ?? 0);
    },
    async page(table, after, limit) {
      return (await client.query(`select * from ${q(table)} where id > $1 order by id limit $2`, [after, limit])).rows;
    },
    async whereIn(table, column, values) {
      if (values.length === 0) return [];
      return (await client.query(`select * from ${q(table)} where ${q(column)} = any($1) order by id`, [values])).rows;
    },
    async query(sql, params = []) {
      return (await client.query(sql, params)).rows;
    },
    async close() {
      await client.query('rollback').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

async function openMysqlSource(url: string): Promise<Source> {
  const mysql = await import('mysql2/promise');
  const u = new URL(url);
  u.protocol = 'mysql:';
  // Django stores aware datetimes as UTC in DATETIME columns: read them as UTC
  const conn = await mysql.createConnection({ uri: u.toString(), timezone: 'Z', supportBigNumbers: true, connectTimeout: 5000, charset: 'utf8mb4' });
  conn.on('error', () => undefined);
  await conn.query('set session transaction isolation level repeatable read');
  await conn.query('start transaction with consistent snapshot, read only');
  const q = (name: string) => ident(name, '`');
  const rows = async (sql: string, params: unknown[] = []) => (await conn.query(sql, params))[0] as Row[];
  return {
    dialect: 'mysql',
    label: redactUrl(url),
    async hasTable(table) {
      const r = await rows('select count(*) as n from information_schema.tables where table_schema = database() and table_name = ?', [table]);
      return Number(r[0]?.n ?? 0) > 0;
    },
    async count(table) {
      const r = await rows(`select count(*) as n from ${q(table)}`);
      return Number(r[0]?.n ?? 0);
    },
    async maxId(table) {
      const r = await rows(`select coalesce(max(id), 0) as n from ${q(table)}`);
      return Number(r[0]?.n ?? 0);
    },
    async page(table, after, limit) {
      return rows(`select * from ${q(table)} where id > ? order by id limit ?`, [after, limit]);
    },
    async whereIn(table, column, values) {
      if (values.length === 0) return [];
      return rows(`select * from ${q(table)} where ${q(column)} in (?) order by id`, [values]);
    },
    query: (sql, params = []) => rows(sql, params),
    async close() {
      await conn.query('rollback').catch(() => undefined);
      await conn.end().catch(() => undefined);
    },
  };
}

/** every row of `table`, page by page */
export async function* pagesOf(source: Source, table: string, size: number): AsyncGenerator<Row[]> {
  let after = 0;
  for (;;) {
    const rows = await source.page(table, after, size);
    if (rows.length === 0) return;
    yield rows;
    after = Number(rows[rows.length - 1]!.id);
    if (rows.length < size) return;
  }
}
