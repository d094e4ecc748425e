// Bulk writes for the importer: one INSERT … SELECT FROM unnest($1::type[], …) per table and
// page, so a page of a thousand rows is a handful of parameters instead of thousands (the query
// builder's cost per parameter dominated the import's CPU time). Tables with array columns, or a
// page whose rows do not all set the same columns, take the query builder's multi-row INSERT.
import { getTableColumns, getTableName, sql, type SQL, type Table } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../core/db/client.js';

const MAX_PARAMS = 30_000;
/** serial types are column defaults, not types an array can have */
const SERIAL: Record<string, string> = { bigserial: 'bigint', serial: 'integer', smallserial: 'smallint' };

export async function insertRows(db: Db, table: PgTable, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table as Table) as Record<string, PgColumn>;
  const keys = Object.keys(rows[0]!).filter((k) => columns[k]);
  const uniform = rows.every((r) => Object.keys(r).length === keys.length && keys.every((k) => k in r));
  const arrays = keys.some((k) => columns[k]!.getSQLType().endsWith(']'));
  if (!uniform || arrays) {
    const per = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(columns).length));
    for (let i = 0; i < rows.length; i += per) await db.insert(table).values(rows.slice(i, i + per));
    return;
  }
  const names: SQL[] = [];
  const params: SQL[] = [];
  for (const k of keys) {
    const col = columns[k]!;
    const values = rows.map((r) => (r[k] === null || r[k] === undefined ? null : col.mapToDriverValue(r[k])));
    names.push(sql`${sql.identifier(col.name)}`);
    params.push(sql`${sql.param(values)}::${sql.raw(SERIAL[col.getSQLType()] ?? col.getSQLType())}[]`);
  }
  await db.execute(sql`insert into ${sql.identifier(getTableName(table))} (${sql.join(names, sql`, `)}) select * from unnest(${sql.join(params, sql`, `)})`);
}
