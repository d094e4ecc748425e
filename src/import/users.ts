// Plans the unique columns of an app's users (usernames, nicknames, e-mails) over the whole
// original table before the first row is written: see names.ts for the rules. Values held by
// rows created in madang itself (not imported) count as taken.
import { and, eq, getTableColumns, sql, type Table } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { importIds } from './import.table.js';
import type { Engine } from './engine.js';
import { cleanName, emailAlternative, isEmail, placeholderEmail, planUnique, suffixed } from './names.js';
import { pagesOf, type Row, type Source } from './source.js';
import { int, str } from './values.js';

export interface ColumnRule {
  /** the original's column */
  source: string;
  /** madang's column (values already there are taken) */
  target: PgColumn;
  /** for the report: "username", "e-mail"… */
  label: string;
  max: number;
  fold: (s: string) => string;
  kind: 'name' | 'email';
  /** e-mails only: what an empty address becomes */
  empty?: 'null' | 'placeholder';
  /** applied before comparing and storing (mealbuddy stores e-mails lower-cased) */
  store?: (s: string) => string;
}

export interface PlannedValue {
  value: string | null;
  repairs: Array<{ reason: string; detail?: string }>;
}

const show = (s: string | null) => JSON.stringify(s ?? '');

/** every original user, id order (the older account keeps a contested value) */
export async function allRows(source: Source, table: string, size = 5000): Promise<Row[]> {
  const out: Row[] = [];
  for await (const page of pagesOf(source, table, size)) out.push(...page);
  return out;
}

export async function planColumns(
  engine: Engine,
  sourceTable: string,
  target: PgTable,
  rows: Row[],
  rules: ColumnRule[],
): Promise<Map<number, Record<string, PlannedValue>>> {
  const out = new Map<number, Record<string, PlannedValue>>();
  for (const r of rows) out.set(int(r, 'id')!, {});
  for (const rule of rules) {
    // values kept as they were claim first: a name that only looked like another (an invisible
    // character, a full-width letter) yields to the one typed plainly, then the older account wins
    const plain: Array<{ id: number; value: string }> = [];
    const changed: Array<{ id: number; value: string }> = [];
    for (const r of rows) {
      const id = int(r, 'id')!;
      const planned = first(rule, str(r, rule.source), id);
      out.get(id)![rule.source] = planned;
      if (planned.value !== null) (rule.kind === 'name' && planned.repairs.length ? changed : plain).push({ id, value: planned.value });
    }
    const entries = [...plain, ...changed];
    const taken = await takenInTarget(engine, sourceTable, target, rule.target);
    const alt = rule.kind === 'name' ? suffixed(rule.max) : emailAlternative(rule.max);
    for (const [id, p] of planUnique(entries, rule.fold, taken, alt)) {
      if (!p.renamed) continue;
      const planned = out.get(id)![rule.source]!;
      planned.repairs.push({ reason: `${rule.label} already used by another account${rule.fold('A') === 'a' ? ' (ignoring case)' : ''}; changed`, detail: `${show(planned.value)} → ${show(p.value)}` });
      planned.value = p.value;
    }
  }
  return out;
}

function first(rule: ColumnRule, raw: string | null, id: number): PlannedValue {
  if (rule.kind === 'name') {
    const c = cleanName(raw, rule.max);
    if (c.change === 'empty') return { value: `user${id}`, repairs: [{ reason: `${rule.label} empty or invisible only; named after the id`, detail: `${show(raw)} → "user${id}"` }] };
    if (c.change) {
      const what = c.change === 'invisible' ? 'had invisible characters (removed)' : 'was not in NFKC form (normalised)';
      return { value: c.value, repairs: [{ reason: `${rule.label} ${what}`, detail: `${show(raw)} → ${show(c.value)}` }] };
    }
    return { value: c.value, repairs: [] };
  }
  const trimmed = (raw ?? '').trim();
  if (trimmed === '') {
    if (rule.empty === 'null') return { value: null, repairs: raw === null ? [] : [{ reason: `empty ${rule.label} stored as none` }] };
    return { value: placeholderEmail(id), repairs: [{ reason: `empty ${rule.label}; a reserved .invalid address stands in` }] };
  }
  const stored = (rule.store ?? ((s: string) => s))(trimmed).slice(0, rule.max);
  if (!isEmail(stored)) return { value: stored, repairs: [{ reason: `${rule.label} is not an address (kept as it was)`, detail: show(raw) }] };
  return { value: stored, repairs: stored === raw ? [] : [{ reason: `${rule.label} trimmed or lower-cased`, detail: `${show(raw)} → ${show(stored)}` }] };
}

async function takenInTarget(engine: Engine, sourceTable: string, table: PgTable, column: PgColumn): Promise<string[]> {
  const idCol = getTableColumns(table as Table).id!;
  const imported = engine.db
    .select({ t: importIds.targetId })
    .from(importIds)
    .where(and(eq(importIds.app, engine.ctx.app), eq(importIds.sourceTable, sourceTable)));
  const rows = await engine.db
    .select({ v: column })
    .from(table)
    .where(sql`${column} is not null and ${idCol}::text not in (${imported})`);
  return rows.map((r) => String(r.v));
}
