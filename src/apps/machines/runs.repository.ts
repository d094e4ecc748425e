// Drizzle queries for runs: history pages, and the worker's claim / heartbeat / finish, each a
// single conditional UPDATE so that two workers can never both own a run.
import { and, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../core/db/client.js';
import { runs, type Run, type RunState } from './machines.table.js';

/** how long a claim lasts without a heartbeat; a crashed worker's run is taken over after this */
export const LEASE_MS = 10_000;
export const HEARTBEAT_MS = 3_000;

export interface NewRun {
  machineId: number;
  workerId: number;
  machineOwnerId: number;
  command: string;
  requestDatetime: Date;
  state: RunState;
  result?: number;
  reason?: string;
}

export interface HistoryFilter {
  machineId?: number;
  workerId?: number;
  ownerId?: number;
  command?: string;
  result?: number;
  from?: Date;
  to?: Date;
}

export interface Outcome {
  state: RunState;
  result: number;
  reason: string | null;
  statusAfter: number | null;
}

const OPEN: RunState[] = ['pending', 'running'];

export class RunsRepository {
  constructor(private readonly db: Db) {}

  async insert(v: NewRun, db: Db = this.db): Promise<Run> {
    const done = v.state !== 'pending';
    const [row] = await db
      .insert(runs)
      .values({ ...v, finishedAt: done ? new Date() : null })
      .returning();
    return row!;
  }

  async byId(id: number): Promise<Run | undefined> {
    const [row] = await this.db.select().from(runs).where(eq(runs.id, id)).limit(1);
    return row;
  }

  async openFor(db: Db, machineId: number): Promise<Run | undefined> {
    const [row] = await db
      .select()
      .from(runs)
      .where(and(eq(runs.machineId, machineId), inArray(runs.state, OPEN)))
      .limit(1);
    return row;
  }

  /** newest first; `limit` rows from `offset` (callers ask one extra to know about a next page) */
  async history(f: HistoryFilter, limit: number, offset: number): Promise<Run[]> {
    const where: SQL[] = [];
    if (f.machineId !== undefined) where.push(eq(runs.machineId, f.machineId));
    if (f.workerId !== undefined) where.push(eq(runs.workerId, f.workerId));
    if (f.ownerId !== undefined) where.push(eq(runs.machineOwnerId, f.ownerId));
    if (f.command) where.push(eq(runs.command, f.command));
    if (f.result !== undefined) where.push(eq(runs.result, f.result));
    if (f.from) where.push(gte(runs.requestDatetime, f.from));
    if (f.to) where.push(lte(runs.requestDatetime, f.to));
    return this.db
      .select()
      .from(runs)
      .where(and(...where))
      // spelled like the indexes (DESC NULLS LAST) so that they serve the ordering
      .orderBy(sql`${runs.requestDatetime} desc nulls last`, sql`${runs.id} desc nulls last`)
      .limit(limit)
      .offset(offset);
  }

  /** takes a pending run, or a running one whose lease ran out (its worker died) */
  async claim(id: number, token: string): Promise<Run | undefined> {
    const [row] = await this.db
      .update(runs)
      .set({
        state: 'running',
        leaseToken: token,
        leaseUntil: sql`now() + ${`${LEASE_MS} milliseconds`}::interval`,
        attempts: sql`${runs.attempts} + 1`,
        startedAt: sql`coalesce(${runs.startedAt}, now())`,
      })
      .where(
        and(
          eq(runs.id, id),
          sql`(${runs.state} = 'pending' or (${runs.state} = 'running' and ${runs.leaseUntil} < now()))`,
        ),
      )
      .returning();
    return row;
  }

  /** ms until the current lease ends (negative when expired); undefined when the run is closed */
  async leaseLeft(id: number): Promise<number | undefined> {
    const [row] = await this.db
      .select({
        state: runs.state,
        left: sql<number>`(extract(epoch from (coalesce(${runs.leaseUntil}, now()) - now())) * 1000)::float8`,
      })
      .from(runs)
      .where(eq(runs.id, id))
      .limit(1);
    if (!row || !OPEN.includes(row.state)) return undefined;
    return row.state === 'pending' ? -1 : Number(row.left);
  }

  async renew(id: number, token: string): Promise<boolean> {
    const rows = await this.db
      .update(runs)
      .set({ leaseUntil: sql`now() + ${`${LEASE_MS} milliseconds`}::interval` })
      .where(and(eq(runs.id, id), eq(runs.state, 'running'), eq(runs.leaseToken, token)))
      .returning({ id: runs.id });
    return rows.length === 1;
  }

  /** closes the run if this worker still owns it */
  async finish(db: Db, id: number, token: string, o: Outcome): Promise<Run | undefined> {
    const [row] = await db
      .update(runs)
      .set({ ...o, finishedAt: new Date(), leaseToken: null, leaseUntil: null })
      .where(and(eq(runs.id, id), eq(runs.state, 'running'), eq(runs.leaseToken, token)))
      .returning();
    return row;
  }

  /** gives a claimed run back (an infrastructure error: another attempt will take it) */
  async release(id: number, token: string): Promise<void> {
    await this.db
      .update(runs)
      .set({ state: 'pending', leaseToken: null, leaseUntil: null })
      .where(and(eq(runs.id, id), eq(runs.state, 'running'), eq(runs.leaseToken, token)));
  }

  /** closes a run whatever its owner (retries exhausted, machine deleted before it ran) */
  async failOpen(id: number, reason: string, db: Db = this.db): Promise<Run | undefined> {
    const [row] = await db
      .update(runs)
      .set({ state: 'failed', result: 3, reason, finishedAt: new Date(), leaseToken: null, leaseUntil: null })
      .where(and(eq(runs.id, id), inArray(runs.state, OPEN)))
      .returning();
    return row;
  }

  async failPendingOf(db: Db, machineId: number, reason: string): Promise<Run[]> {
    return db
      .update(runs)
      .set({ state: 'failed', result: 3, reason, finishedAt: new Date() })
      .where(and(eq(runs.machineId, machineId), eq(runs.state, 'pending')))
      .returning();
  }

  /** runs to hand to workers: every pending one, and running ones (all, or only expired leases) */
  async recoverable(allRunning: boolean, limit = 1000): Promise<Array<{ id: number; state: RunState }>> {
    const running = allRunning
      ? sql`${runs.state} = 'running'`
      : sql`(${runs.state} = 'running' and ${runs.leaseUntil} < now())`;
    return this.db
      .select({ id: runs.id, state: runs.state })
      .from(runs)
      .where(sql`${runs.state} = 'pending' or ${running}`)
      .orderBy(runs.id)
      .limit(limit);
  }
}
