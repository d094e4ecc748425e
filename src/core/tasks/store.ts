// The lease operations, once, for any table that spreads taskColumns(). Each is one conditional
// statement, so two workers can never both hold a task, and a worker whose claim was lost (its lease
// ran out and another took over) can neither complete nor fail nor release it.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
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

interface ClaimWaiter<R> {
  id: TaskKey;
  resolve(claim: { row: R; owner: string } | undefined): void;
  reject(err: unknown): void;
}

export class TaskStore<T extends TaskTable, K extends TaskKey = TaskKey> {
  readonly leaseMs: number;
  private readonly key: PgColumn;
  private readonly keyProp: string;
  /** claims asked for while a claim statement is in flight: sent together in the next one */
  private waiting: Array<ClaimWaiter<RowOf<T>>> = [];
  private claiming = false;

  constructor(
    private readonly db: Db,
    readonly table: T,
    opts: StoreOptions<K>,
  ) {
    this.key = opts.key;
    this.leaseMs = opts.leaseMs ?? 10_000;
    const prop = Object.entries(table).find(([, c]) => c === opts.key)?.[0];
    if (!prop) throw new Error('TaskStore: the key column is not a column of the table');
    this.keyProp = prop;
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
    return new Promise((resolve, reject) => {
      this.waiting.push({ id, resolve, reject });
      if (!this.claiming) {
        this.claiming = true;
        setImmediate(() => void this.flushClaims());
      }
    });
  }

  private async flushClaims(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, 500);
      const owner = randomUUID();
      try {
        const rows = await this.claimMany([...new Set(batch.map((w) => w.id as K))], owner);
        const byKey = new Map(rows.map((r) => [this.keyOf(r), r]));
        for (const w of batch) {
          const row = byKey.get(w.id as K);
          byKey.delete(w.id as K);
          w.resolve(row ? { row, owner } : undefined);
        }
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.claiming = false;
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
    const done = { ...opts.set, status: 'done', leaseOwner: null, leaseUntil: null, finishedAt: sql`now()` };
    if (!opts.write) {
      const [row] = await this.update(done, this.owned(id, owner));
      return row ? { row, out: undefined } : undefined;
    }
    const write = opts.write;
    return this.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const [row] = await this.update(done, this.owned(id, owner), tx);
      if (!row) return undefined;
      return { row, out: await write(tx, row) };
    });
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
