// The importer's core: one step per original table, read in pages; rows an earlier run imported
// (import_ids) are passed over; the rest are planned into units (the rows to write for one
// original row) and written in one transaction per page, together with their import_ids rows.
// A page that fails is retried unit by unit, so one bad row fails alone; a failure that is not
// about the data (the database went away) stops the run, and the next run continues after the
// last committed page.
import { and, eq, getTableColumns, getTableName, sql, type Table } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { AppName } from '../apps/registry.js';
import { rowsOf, type Db } from '../core/db/client.js';
import type { BlobStore } from '../core/storage/storage.js';
import { insertRows } from './bulk.js';
import { importIds } from './import.table.js';
import type { MediaSource } from './media.js';
import type { Progress } from './progress.js';
import type { Report } from './report.js';
import type { Source } from './source.js';

export type Write =
  | { kind: 'insert'; table: PgTable; row: Record<string, unknown> }
  | { kind: 'update'; table: PgTable; id: number; set: Record<string, unknown> };

export function insert<T extends PgTable>(table: T, row: T['$inferInsert']): Write {
  return { kind: 'insert', table, row: row as Record<string, unknown> };
}

export function update<T extends PgTable>(table: T, id: number, set: Partial<T['$inferInsert']>): Write {
  return { kind: 'update', table, id, set: set as Record<string, unknown> };
}

export interface Unit {
  sourceId: string;
  /** the madang id this original row became */
  targetId: string;
  writes: Write[];
  /** reasons this row was changed on the way in (report) */
  repairs: Array<{ reason: string; detail?: string }>;
  /** duplicates of this row in the original, merged into it */
  also?: Array<{ sourceTable: string; sourceId: string; targetId: string }>;
  /** rows of another original table imported with this one (a picture's results) */
  children?: Array<{ table: string; sourceId: string; targetId: string; repairs: Unit['repairs'] }>;
  /** files stored for this unit: removed again if it cannot be written */
  blobs?: Array<{ store: BlobStore; key: string }>;
}

export type Outcome = Unit | { sourceId: string; skip: string };

export interface Step<R> {
  /** the original's table (report and import_ids) */
  table: string;
  /** import_ids' source_table when it differs from the report's label */
  idTable?: string;
  total(): Promise<number>;
  pages(size: number): AsyncIterable<R[]>;
  idOf(row: R): string;
  plan(rows: R[]): Promise<Outcome[]>;
}

export interface ImportContext {
  app: AppName;
  db: Db;
  source: Source;
  media?: MediaSource;
  storage: BlobStore;
  report: Report;
  progress: Progress;
  batchSize: number;
  now: Date;
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the row's fault */
export function isDataError(err: unknown): boolean {
  return /^2[23]/.test(sqlState(err) ?? '');
}

function sqlState(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function errorText(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 5 && e; i++) {
    if ((e as { code?: unknown }).code && (e as { message?: unknown }).message) {
      const detail = (e as { detail?: string }).detail;
      return `${(e as Error).message}${detail ? ` (${detail})` : ''}`;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return err instanceof Error ? err.message : String(err);
}

export class Engine {
  private readonly maps = new Map<string, Map<string, string>>();

  constructor(readonly ctx: ImportContext) {}

  get db(): Db {
    return this.ctx.db;
  }

  /** original id → madang id for everything of `sourceTable` imported so far (this run or earlier) */
  async idMap(sourceTable: string): Promise<Map<string, string>> {
    let m = this.maps.get(sourceTable);
    if (!m) {
      const rows = await this.db
        .select({ s: importIds.sourceId, t: importIds.targetId })
        .from(importIds)
        .where(and(eq(importIds.app, this.ctx.app), eq(importIds.sourceTable, sourceTable)));
      m = new Map(rows.map((r) => [r.s, r.t]));
      this.maps.set(sourceTable, m);
    }
    return m;
  }

  /** madang id of an imported original row, as a number */
  async target(sourceTable: string, sourceId: number | string | null): Promise<number | undefined> {
    if (sourceId === null) return undefined;
    const t = (await this.idMap(sourceTable)).get(String(sourceId));
    return t === undefined ? undefined : Number(t);
  }

  /**
   * Madang ids for original ids: the same id where it is free, a new one from the table's
   * sequence where a row created in madang holds it (reported as a repair by the caller).
   */
  async keepIds(table: PgTable, ids: number[]): Promise<Map<number, { id: number; moved: boolean }>> {
    const out = new Map<number, { id: number; moved: boolean }>();
    if (ids.length === 0) return out;
    const idCol = getTableColumns(table as Table).id!;
    const rows = await this.db.select({ id: idCol }).from(table).where(sql`${idCol} = any(${sql.param(ids)}::bigint[])`);
    const taken = new Set(rows.map((r) => Number(r.id)));
    const fresh = await this.allocate(table, [...taken].length);
    let k = 0;
    for (const id of ids) out.set(id, taken.has(id) ? { id: fresh[k++]!, moved: true } : { id, moved: false });
    return out;
  }

  async allocate(table: PgTable, n: number): Promise<number[]> {
    if (n === 0) return [];
    const rows = rowsOf<{ id: number }>(
      await this.db.execute(sql`select nextval(pg_get_serial_sequence(${getTableName(table)}, 'id')) as id from generate_series(1, ${n})`),
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * Moves the table's sequence past `atLeast` (the original's largest id) and past every row
   * already there, so neither new madang rows nor ids allocated here collide with original ids.
   */
  async bumpSequence(table: PgTable, atLeast = 0): Promise<void> {
    const name = getTableName(table);
    await this.db.execute(sql`select setval(pg_get_serial_sequence(${name}, 'id'), greatest(
      ${atLeast}::bigint, (select coalesce(max(id), 0) from ${sql.identifier(name)}),
      (select last_value from ${sql.raw(`${name}_id_seq`)}), 1))`);
  }

  async runStep<R>(step: Step<R>): Promise<void> {
    const { report, progress } = this.ctx;
    const stats = report.stats(step.table);
    const idTable = step.idTable ?? step.table;
    progress.start(step.table, await step.total());
    for await (const page of step.pages(this.ctx.batchSize)) {
      const ids = page.map((r) => step.idOf(r));
      const done = await this.imported(idTable, ids);
      stats.read += page.length;
      stats.already += done.size;
      const outcomes = await step.plan(page.filter((r) => !done.has(step.idOf(r))));
      const units: Unit[] = [];
      for (const o of outcomes) {
        if ('skip' in o) report.skipped(step.table, o.skip, o.sourceId);
        else units.push(o);
      }
      await this.commit(step.table, idTable, units);
      progress.advance(page.length);
    }
    progress.done();
  }

  private async imported(sourceTable: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .select({ s: importIds.sourceId })
      .from(importIds)
      .where(and(eq(importIds.app, this.ctx.app), eq(importIds.sourceTable, sourceTable), sql`${importIds.sourceId} = any(${sql.param(ids)}::text[])`));
    return new Set(rows.map((r) => r.s));
  }

  private async commit(label: string, idTable: string, units: Unit[]): Promise<void> {
    if (units.length === 0) return;
    try {
      await this.write(label, idTable, units);
    } catch (err) {
      if (units.length === 1) return this.fail(label, units[0]!, err);
      for (const u of units) {
        try {
          await this.write(label, idTable, [u]);
        } catch (e) {
          await this.fail(label, u, e);
        }
      }
    }
  }

  private async fail(sourceTable: string, unit: Unit, err: unknown): Promise<void> {
    await Promise.all((unit.blobs ?? []).map((b) => b.store.delete(b.key).catch(() => undefined)));
    if (!isDataError(err)) throw err;
    this.ctx.report.failed(sourceTable, errorText(err), unit.sourceId);
  }

  private async write(label: string, sourceTable: string, units: Unit[]): Promise<void> {
    const inserts = new Map<PgTable, Record<string, unknown>[]>();
    const updates: Array<Extract<Write, { kind: 'update' }>> = [];
    for (const u of units) {
      for (const w of u.writes) {
        if (w.kind === 'update') updates.push(w);
        else {
          let list = inserts.get(w.table);
          if (!list) inserts.set(w.table, (list = []));
          list.push(w.row);
        }
      }
    }
    const ids = units.flatMap((u) => [
      { app: this.ctx.app, sourceTable, sourceId: u.sourceId, targetId: u.targetId },
      ...(u.also ?? []).map((a) => ({ app: this.ctx.app, ...a })),
      ...(u.children ?? []).map((c) => ({ app: this.ctx.app, sourceTable: c.table, sourceId: c.sourceId, targetId: c.targetId })),
    ]);
    await this.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      for (const [table, rows] of inserts) await insertRows(tx, table, rows);
      for (const u of updates) {
        const idCol = getTableColumns(u.table as Table).id!;
        await tx.update(u.table).set(u.set).where(eq(idCol, u.id));
      }
      await insertRows(tx, importIds, ids);
    });
    for (const u of units) {
      this.counted(label, u.sourceId, u.repairs);
      this.maps.get(sourceTable)?.set(u.sourceId, u.targetId);
      for (const a of u.also ?? []) {
        this.ctx.report.stats(a.sourceTable === sourceTable ? label : a.sourceTable).merged++;
        this.maps.get(a.sourceTable)?.set(a.sourceId, a.targetId);
      }
      for (const c of u.children ?? []) {
        this.counted(c.table, c.sourceId, c.repairs);
        this.maps.get(c.table)?.set(c.sourceId, c.targetId);
      }
    }
  }

  private counted(label: string, sourceId: string, repairs: Unit['repairs']): void {
    const stats = this.ctx.report.stats(label);
    stats.imported++;
    if (repairs.length) stats.repaired++;
    for (const r of repairs) this.ctx.report.reason(label, 'repaired', r.reason, r.detail ? `${sourceId} (${r.detail})` : sourceId);
  }
}

/** pages of original rows by id (see pagesOf), counted for the progress bar */
export function tableStep<R>(
  table: string,
  source: Source,
  pages: (size: number) => AsyncIterable<R[]>,
  idOf: (r: R) => string,
  plan: (rows: R[]) => Promise<Outcome[]>,
): Step<R> {
  return { table, total: () => source.count(table), pages, idOf, plan };
}
