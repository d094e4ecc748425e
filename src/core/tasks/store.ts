// The lease operations, once, for any table that spreads taskColumns(). Each is one conditional
// statement, so two workers can never both hold a task, and a worker whose claim was lost (its lease
// ran out and another took over) can neither complete nor fail nor release it.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { Batcher } from './batcher.js';
import type { taskColumns, TaskStatus } from './columns.js';

type TaskColumnKeys = keyof ReturnType<typeof taskColumns>;
/** a drizzle table with the task columns (and any of its own) */
export type TaskTable = PgTable & Record<TaskColumnKeys, PgColumn>;
/** the row fields every task row has, whatever else its table holds */
export interface TaskRowBase {
  status: TaskStatus;
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  errorCode: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export type TaskKey = string | number;
/** a row of task table T: its own fields, and the task fields typed whatever T is */
export type RowOf<T extends TaskTable> = T['$inferSelect'] & TaskRowBase;

export interface StoreOptions<K extends TaskKey> {
  /** the column that identifies a task in payloads (a primary key, or a unique public id) */
  key: PgColumn & { _: { data: K } };
  /** how long a claim lasts without renewal (default 10 s) */
  leaseMs?: number;
}

/**
 * The app's writes for tasks finished together (complete() without its own `write`), in the
 * transaction that marks them done: one statement for the batch (e.g. every machine's new status),
 * answering each row's `out` in the order of `rows`.
 */
export type AfterComplete<R> = (tx: Db, rows: R[]) => Promise<unknown[]>;

interface Finish<K> {
  id: K;
  owner: string;
  set: Record<string, unknown>;
}

/** the type a column's values are cast to in a VALUES list (serial types are not types) */
function castType(c: PgColumn): string {
  const t = c.getSQLType();
  return ({ bigserial: 'bigint', serial: 'integer', smallserial: 'smallint' } as Record<string, string>)[t] ?? t;
}

const DONE = { status: 'done', leaseOwner: null, leaseUntil: null, finishedAt: sql`now()` } as const;

export class TaskStore<T extends TaskTable, K extends TaskKey = TaskKey> {
  readonly leaseMs: number;
  private readonly key: PgColumn;
  private readonly keyProp: string;
  /** claims asked for while a claim statement is in flight: sent together in the next one */
  private readonly claims: Batcher<K, { row: RowOf<T>; owner: string } | undefined>;
  /** completions without a write of their own, likewise: one transaction per batch */
  private readonly finishes: Batcher<Finish<K>, { row: RowOf<T>; out: unknown } | undefined>;
  private afterComplete?: AfterComplete<RowOf<T>>;

  constructor(
    private readonly db: Db,
    readonly table: T,
    opts: StoreOptions<K> & { afterComplete?: AfterComplete<RowOf<T>> },
  ) {
    this.key = opts.key;
    this.leaseMs = opts.leaseMs ?? 10_000;
    this.afterComplete = opts.afterComplete;
    const prop = Object.entries(table).find(([, c]) => c === opts.key)?.[0];
    if (!prop) throw new Error('TaskStore: the key column is not a column of the table');
    this.keyProp = prop;
    this.claims = new Batcher((ids) => this.claimBatch(ids));
    this.finishes = new Batcher((items) => this.finishBatch(items));
  }

  keyOf(row: RowOf<T>): K {
    return (row as Record<string, unknown>)[this.keyProp] as K;
  }

  private lease(): SQL {
    return sql`now() + ${`${this.leaseMs} milliseconds`}::interval`;
  }

  /** claimable: queued, or running under a lease that ran out (its worker died) */
  private claimable(): SQL {
    const t = this.table;
    return sql`(${t.status} = 'queued' or (${t.status} = 'running' and ${t.leaseUntil} < now()))`;
  }

  /**
   * Takes the task under a new claim (its owner id is returned with the row); undefined when it is
   * finished or another claim is alive. Claims asked for at the same time (a worker starting many
   * tasks at once) share one statement and one owner id: fencing is per row, so sharing an owner id
   * between different tasks of one process changes nothing, and the same task asked for twice is
   * given to one caller only.
   */
  claim(id: K): Promise<{ row: RowOf<T>; owner: string } | undefined> {
    return this.claims.add(id);
  }

  private async claimBatch(ids: K[]): Promise<Array<{ row: RowOf<T>; owner: string } | undefined>> {
    const owner = randomUUID();
    const rows = await this.claimMany([...new Set(ids)], owner);
    const byKey = new Map(rows.map((r) => [this.keyOf(r), r]));
    return ids.map((id) => {
      const row = byKey.get(id);
      byKey.delete(id); // the same task asked for twice in one batch: the first caller has it
      return row ? { row, owner } : undefined;
    });
  }

  /** Takes every claimable task of `ids` in one statement (each under the same owner id). */
  async claimMany(ids: K[], owner: string): Promise<Array<RowOf<T>>> {
    if (ids.length === 0) return [];
    const t = this.table;
    return this.update(
      {
        status: 'running',
        leaseOwner: owner,
        leaseUntil: this.lease(),
        attempts: sql`${t.attempts} + 1`,
        startedAt: sql`coalesce(${t.startedAt}, now())`,
      },
      and(inArray(this.key, ids), this.claimable())!,
    );
  }

  /**
   * Extends a live claim; false when it was lost. A lease that already ran out is not renewed: the
   * task may be taken over at any moment from then on, so its worker must not count on it.
   */
  async renew(id: K, owner: string): Promise<boolean> {
    const rows = await this.update({ leaseUntil: this.lease() }, and(this.owned(id, owner), sql`${this.table.leaseUntil} > now()`)!);
    return rows.length === 1;
  }

  /**
   * Marks the task done if `owner` still holds it, writing `set` in the same statement, then runs
   * `write` in the same transaction (the app's own rows). undefined when the claim was lost: nothing
   * is written then.
   */
  async complete<R>(
    id: K,
    owner: string,
    opts: { set?: Partial<T['$inferInsert']>; write?: (tx: Db, row: RowOf<T>) => Promise<R> } = {},
  ): Promise<{ row: RowOf<T>; out: R | undefined } | undefined> {
    const write = opts.write;
    if (!write) {
      // finished together with the other completions of this moment (one statement, one transaction)
      return this.finishes.add({ id, owner, set: (opts.set ?? {}) as Record<string, unknown> }) as Promise<
        { row: RowOf<T>; out: R | undefined } | undefined
      >;
    }
    const done = { ...opts.set, ...DONE };
    return this.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const [row] = await this.update(done, this.owned(id, owner), tx);
      if (!row) return undefined;
      return { row, out: await write(tx, row) };
    });
  }

  /**
   * Completions asked for at once: per shape of `set` (which columns it names) one UPDATE … FROM
   * (VALUES …) fenced row by row on its owner, then the store's afterComplete over the rows done, all
   * in one transaction. A completion whose claim was lost gets undefined, as alone; an error
   * (the database's) fails the whole batch, and each task's usual retry rule applies.
   */
  private async finishBatch(items: Array<Finish<K>>): Promise<Array<{ row: RowOf<T>; out: unknown } | undefined>> {
    const groups = new Map<string, Array<Finish<K>>>();
    for (const it of items) {
      const shape = Object.keys(it.set).sort().join(',');
      groups.set(shape, [...(groups.get(shape) ?? []), it]);
    }
    const work = async (db: Db) => {
      const rows: Array<RowOf<T>> = [];
      for (const [shape, group] of groups) rows.push(...(await this.finishGroup(db, shape ? shape.split(',') : [], group)));
      const outs = this.afterComplete && rows.length > 0 ? await this.afterComplete(db, rows) : [];
      const byKey = new Map(rows.map((r, i) => [this.keyOf(r), { row: r, out: outs[i] }]));
      return items.map((it) => {
        const done = byKey.get(it.id);
        byKey.delete(it.id);
        return done;
      });
    };
    if (groups.size === 1 && !this.afterComplete) return work(this.db);
    return this.db.transaction(async (tx) => work(tx as unknown as Db));
  }

  private async finishGroup(db: Db, props: string[], group: Array<Finish<K>>): Promise<Array<RowOf<T>>> {
    const t = this.table as unknown as Record<string, PgColumn>;
    const cols = props.map((p) => {
      const c = t[p];
      if (!c) throw new Error(`TaskStore: ${p} is not a column of the table`);
      return c;
    });
    const typed = (v: unknown, c: PgColumn) => sql`${v === null || v === undefined ? null : sql.param(v, c)}::${sql.raw(castType(c))}`;
    const values = group.map(
      (it) => sql`(${typed(it.id, this.key)}, ${it.owner}::uuid${sql.join(cols.map((c, i) => sql`, ${typed(it.set[props[i]!], c)}`))})`,
    );
    const names = ['k', 'o', ...cols.map((_, i) => `c${i}`)].map((n) => sql.identifier(n));
    const set: Record<string, unknown> = { ...DONE };
    cols.forEach((_, i) => (set[props[i]!] = sql`v.${sql.identifier(`c${i}`)}`));
    const tt = this.table;
    const rows = await db
      .update(this.table as PgTable)
      .set(set as PgUpdateSetSource<PgTable>)
      .from(sql`(values ${sql.join(values, sql`, `)}) as v(${sql.join(names, sql`, `)})`)
      .where(sql`${this.key} = v.k and ${tt.status} = 'running' and ${tt.leaseOwner} = v.o`)
      .returning();
    return rows as Array<RowOf<T>>;
  }

  /**
   * Marks the task failed with `code`: only if `owner` holds it, or (no owner: retries exhausted,
   * cancelled) whatever holds it while it is open. undefined when it had already finished.
   */
  async fail(
    id: K,
    code: string,
    opts: { owner?: string; set?: Partial<T['$inferInsert']>; tx?: Db } = {},
  ): Promise<RowOf<T> | undefined> {
    const t = this.table;
    const where = opts.owner ? this.owned(id, opts.owner) : and(eq(this.key, id), sql`${t.status} in ('queued', 'running')`)!;
    const [row] = await this.update(
      { ...opts.set, status: 'failed', errorCode: code, leaseOwner: null, leaseUntil: null, finishedAt: sql`now()` },
      where,
      opts.tx,
    );
    return row;
  }

  /** gives a claimed task back to the queue (a transient error: a later attempt claims it again) */
  async release(id: K, owner: string): Promise<boolean> {
    const rows = await this.update({ status: 'queued', leaseOwner: null, leaseUntil: null }, this.owned(id, owner));
    return rows.length === 1;
  }

  /**
   * Tasks to hand to workers again: queued ones (all of them, or only those older than
   * `queuedOlderThanMs`: younger ones were enqueued after their commit) and running ones whose lease
   * ran out. `attempts` tells a takeover apart from the delivery of the same claim.
   */
  async recoverable(opts: { limit?: number; queuedOlderThanMs?: number } = {}): Promise<Array<{ key: K; status: TaskStatus; attempts: number }>> {
    const t = this.table;
    const queued = opts.queuedOlderThanMs
      ? sql`(${t.status} = 'queued' and ${t.createdAt} < now() - ${`${opts.queuedOlderThanMs} milliseconds`}::interval)`
      : sql`${t.status} = 'queued'`;
    const rows = (await this.db
      .select({ key: this.key, status: t.status, attempts: t.attempts })
      .from(t as PgTable)
      .where(sql`${queued} or (${t.status} = 'running' and ${t.leaseUntil} < now())`)
      .orderBy(t.createdAt)
      .limit(opts.limit ?? 1000)) as Array<{ key: K; status: TaskStatus; attempts: number }>;
    return rows;
  }

  /** ms until the soonest live lease runs out, if any task is running (when to sweep next) */
  async nextExpiryMs(): Promise<number | undefined> {
    const t = this.table;
    const [row] = (await this.db
      .select({ ms: sql<number | null>`(extract(epoch from min(${t.leaseUntil}) - now()) * 1000)::float8` })
      .from(t as PgTable)
      .where(sql`${t.status} = 'running'`)) as Array<{ ms: number | null }>;
    return row?.ms === null || row?.ms === undefined ? undefined : Math.max(0, Number(row.ms));
  }

  private owned(id: K, owner: string): SQL {
    const t = this.table;
    return and(eq(this.key, id), eq(t.status, 'running'), eq(t.leaseOwner, owner))!;
  }

  // The one place the table's own type is widened: drizzle cannot type `set` over a table it only
  // knows to have the task columns. Every caller above passes task columns (or the row's own, typed
  // through T['$inferInsert']).
  private async update(set: Record<string, unknown>, where: SQL, db: Db = this.db): Promise<Array<RowOf<T>>> {
    const rows = await db
      .update(this.table as PgTable)
      .set(set as PgUpdateSetSource<PgTable>)
      .where(where)
      .returning();
    return rows as Array<RowOf<T>>;
  }
}
