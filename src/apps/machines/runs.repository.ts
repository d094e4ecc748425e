// Drizzle queries for runs: the row a command writes, and history pages. The worker's lease
// operations (claim, renew, complete, fail, release) are core/tasks' TaskStore over this table.
import { and, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { rowMapper, rowsOf, type Db } from '../../core/db/client.js';
import { OPERATION_RESULT } from './machines.schemas.js';
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


const runRow = rowMapper(runs);

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

  /**
   * A command in one statement: locks the live machine, then writes the run `queued`, or already
   * closed as refused (result 5 when `workerId` does not own the machine, 7 when its status is not
   * `allowedFrom`). undefined when the machine does not exist or is deleted. The row lock orders
   * concurrent commands on one machine; a second open run violates the partial unique index on open
   * runs (the caller's 409). One round trip instead of BEGIN, SELECT … FOR UPDATE, INSERT, COMMIT.
   */
  async command(v: { machineId: number; workerId: number; command: string; requestDatetime: Date; allowedFrom: number }): Promise<Run | undefined> {
    const res = await this.db.execute(sql`
      with m as (
        select id, owner_id, case when owner_id <> ${v.workerId}::bigint then ${OPERATION_RESULT.PERMISSIONDENIED}::smallint
                                  when status <> ${v.allowedFrom}::smallint then ${OPERATION_RESULT.INVALIDCOMMAND}::smallint end as refused
        from machines_machines where id = ${v.machineId}::bigint and deleted_at is null for update
      )
      insert into machines_runs (machine_id, worker_id, machine_owner_id, command, request_datetime, status, error_code, result, reason, finished_at)
      select id, ${v.workerId}::bigint, owner_id, ${v.command}, ${v.requestDatetime.toISOString()}::timestamptz,
             case when refused is null then 'queued' else 'failed' end,
             case when refused is null then null else ${REJECTED} end,
             refused,
             case refused when ${OPERATION_RESULT.PERMISSIONDENIED} then 'not_owner' when ${OPERATION_RESULT.INVALIDCOMMAND} then 'invalid_state' end,
             case when refused is null then null else now() end
      from m
      returning *`);
    const raw = rowsOf<Record<string, unknown>>(res)[0];
    return raw ? runRow(raw) : undefined;
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
