// Drizzle queries for runs: the row a command writes, and history pages. The worker's lease
// operations (claim, renew, complete, fail, release) are core/tasks' TaskStore over this table.
import { and, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../core/db/client.js';
import { MACHINE_DELETED, REJECTED, runs, type Run } from './machines.table.js';

export interface NewRun {
  machineId: number;
  workerId: number;
  machineOwnerId: number;
  command: string;
  requestDatetime: Date;
  /** refused commands are written already closed, with the result code and reason of the refusal */
  rejected?: { result: number; reason: string };
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


export class RunsRepository {
  constructor(private readonly db: Db) {}

  async insert({ rejected, ...v }: NewRun, db: Db = this.db): Promise<Run> {
    const closed = rejected ? { status: 'failed' as const, errorCode: REJECTED, ...rejected, finishedAt: new Date() } : {};
    const [row] = await db
      .insert(runs)
      .values({ ...v, ...closed })
      .returning();
    return row!;
  }

  async byId(id: number): Promise<Run | undefined> {
    const [row] = await this.db.select().from(runs).where(eq(runs.id, id)).limit(1);
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

  /** a deleted machine's queued runs fail (a running one finds the machine gone and fails itself) */
  async failQueuedOf(db: Db, machineId: number): Promise<Run[]> {
    return db
      .update(runs)
      .set({ status: 'failed', errorCode: MACHINE_DELETED, result: 3, reason: 'machine_deleted', finishedAt: new Date() })
      .where(and(eq(runs.machineId, machineId), eq(runs.status, 'queued')))
      .returning();
  }
}
