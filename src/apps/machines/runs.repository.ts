// Drizzle queries for runs: the row a command writes, and history pages. The worker's lease
// operations (claim, renew, complete, fail, release) are core/tasks' TaskStore over this table.
import { and, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { rowMapper, rowsOf, type Db } from '../../core/db/client.js';
import { Batcher } from '../../core/tasks/batcher.js';
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

export interface CommandInput {
  machineId: number;
  workerId: number;
  command: string;
  requestDatetime: Date;
  allowedFrom: number;
}

type Settled = { run: Run | undefined } | { err: unknown };

export class RunsRepository {
  /** commands arriving together, written by one statement (see `commandBatched`) */
  private readonly commands = new Batcher<CommandInput, Settled>((items) => this.commandBatch(items));

  constructor(private readonly db: Db) {}

  /**
   * `command`, but commands arriving at the same moment share one statement: under load a round
   * trip and a statement's fixed cost (parse, plan, lock manager, WAL flush) per batch instead of
   * per command. The answer is the same as `command`'s: a command the batch cannot settle by itself
   * (machine missing, not the caller's, a run already open, the same machine twice in one batch, or
   * any error of the batch statement) is carried out again alone by `command`.
   */
  async commandBatched(v: CommandInput): Promise<Run | undefined> {
    const s = await this.commands.add(v);
    if ('err' in s) throw s.err;
    return s.run;
  }

  /** one command alone, its error kept for its own caller (not thrown at the whole batch) */
  private async settle(v: CommandInput): Promise<Settled> {
    try {
      return { run: await this.command(v) };
    } catch (err) {
      return { err };
    }
  }

  private async commandBatch(items: CommandInput[]): Promise<Settled[]> {
    if (items.length === 1) return [await this.settle(items[0]!)];
    const first = new Map<number, number>(); // machine id → index of its first command in the batch
    items.forEach((v, i) => {
      if (!first.has(v.machineId)) first.set(v.machineId, i);
    });
    const batch = [...first.values()];
    const out = new Array<Settled | null>(items.length).fill(null); // null: not settled yet
    try {
      const values = batch.map((i) => {
        const v = items[i]!;
        return sql`(${v.machineId}::bigint, ${v.workerId}::bigint, ${v.command}::text, ${v.requestDatetime.toISOString()}::timestamptz, ${v.allowedFrom}::smallint)`;
      });
      // the machines are locked in id order, as `MachinesRepository.setStatuses` locks them, so that
      // two batches (or a batch and a worker finishing runs) never wait on each other in a cycle.
      // A run already open skips its row (ON CONFLICT … DO NOTHING on the partial unique index)
      // instead of failing the batch; `command` then answers it alone (the 409).
      const res = await this.db.execute(sql`
        with req (machine_id, worker_id, command, request_datetime, allowed_from) as (values ${sql.join(values, sql`, `)}),
        m as (
          select mm.id, mm.owner_id, req.worker_id, req.command, req.request_datetime,
                 case when mm.status <> req.allowed_from then ${OPERATION_RESULT.INVALIDCOMMAND}::smallint end as refused
          from machines_machines mm join req on mm.id = req.machine_id and mm.owner_id = req.worker_id
          where mm.deleted_at is null
          order by mm.id
          for update of mm
        )
        insert into machines_runs (machine_id, worker_id, machine_owner_id, command, request_datetime, status, error_code, result, reason, finished_at)
        select id, worker_id, owner_id, command, request_datetime,
               case when refused is null then 'queued' else 'failed' end,
               case when refused is null then null else ${REJECTED} end,
               refused,
               case refused when ${OPERATION_RESULT.INVALIDCOMMAND} then 'invalid_state' end,
               case when refused is null then null else now() end
        from m
        on conflict (machine_id) where status in ('queued', 'running') do nothing
        returning *`);
      const byMachine = new Map(rowsOf<Record<string, unknown>>(res).map((raw) => [Number(raw.machine_id), runRow(raw)]));
      for (const i of batch) {
        const run = byMachine.get(items[i]!.machineId);
        if (run) out[i] = { run };
      }
    } catch {
      // settled one by one below, each with its own answer (or error)
    }
    for (let i = 0; i < items.length; i++) if (out[i] === null) out[i] = await this.settle(items[i]!);
    return out as Settled[];
  }

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
        -- only the owner's commands are recorded (issue 15 #8): anyone else's insert nothing
        select id, owner_id, case when status <> ${v.allowedFrom}::smallint then ${OPERATION_RESULT.INVALIDCOMMAND}::smallint end as refused
        from machines_machines where id = ${v.machineId}::bigint and deleted_at is null and owner_id = ${v.workerId}::bigint for update
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
