// Runs: START/STOP commands validated synchronously (404, 400, 403, 409 instead of the original's
// unconditional 200), written `queued` (clients see `pending`) and carried out by the run task. The
// owner's refused commands are recorded with the original's result 7 (not allowed in this status),
// so their history keeps that audit trail. A stranger's command is a 404, as for a missing machine,
// and written nowhere: rows naming strangers in an owner's history (the original's result 5) let
// anyone fill it (issue 15 #8); staff get 403, also unrecorded. Unknown commands (6, IGNORE) are
// not recorded, as in the original.
import { parseIsoDateTime } from '../../core/dates.js';
import type { Db } from '../../core/db/client.js';
import { AppError, isUniqueViolation } from '../../core/errors.js';
import type { JobQueue } from '../../core/queue/queue.js';
import type { Logger } from '../../core/observability/logger.js';
import type { MachineEvents } from './events.js';
import type { MachinesRepository } from './machines.repository.js';
import { COMMANDS, MACHINE_STATUS, type Command, type HistoryQuery } from './machines.schemas.js';
import { canSee, forbidden, notFound, type Actor, type Page } from './machines.service.js';
import type { Run } from './machines.table.js';
import type { HistoryFilter, RunsRepository } from './runs.repository.js';
import { runJson } from './serialize.js';

export const RUN_JOB = 'machines.run';

/** START only from READY, STOP only from RUNNING (docs/apps/machines.md §6.1) */
export function allowedFrom(command: Command): number {
  return command === 'START' ? MACHINE_STATUS.READY : MACHINE_STATUS.RUNNING;
}

export function commandAllowed(status: number, command: Command): boolean {
  return status === allowedFrom(command);
}

export class RunsService {
  constructor(
    private readonly db: Db,
    private readonly machines: MachinesRepository,
    private readonly runs: RunsRepository,
    private readonly queue: JobQueue,
    private readonly events: MachineEvents,
    private readonly log: Logger,
  ) {}

  async operate(actor: Actor, machineId: number, body: unknown) {
    const requestDatetime = new Date();
    let command: Command;
    try {
      command = parseCommand(body);
    } catch (err) {
      // an unknown machine, or one the caller may not see, is 404 whatever the body
      const m = await this.machines.byId(machineId);
      if (!m || !canSee(actor, m)) throw notFound();
      throw err;
    }
    let run: Run | undefined;
    try {
      // one statement: lock the machine, record the command (accepted or refused); the partial
      // unique index on open runs is the last word on "one run at a time" (its violation is the 409)
      run = await this.runs.commandBatched({ machineId, workerId: actor.id, command, requestDatetime, allowedFrom: allowedFrom(command) });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new AppError('RUN_IN_PROGRESS', 409);
    }
    if (!run) {
      // nothing was recorded: the machine is missing, not the caller's to see (404, as missing),
      // or the caller is staff but not the owner (403) — issue 15 #8
      const m = await this.machines.byId(machineId);
      if (!m || !canSee(actor, m)) throw notFound();
      throw forbidden();
    }
    if (run.status === 'failed') {
      await this.events.run(run);
      throw new AppError('INVALID_STATE', 409, undefined, { run_id: run.id });
    }
    await this.events.run(run);
    try {
      await this.queue.enqueue(RUN_JOB, { runId: run.id });
    } catch (err) {
      // the row is the source of truth: the recovery sweep enqueues it once the queue is back
      this.log.error({ err, runId: run.id }, 'machines: enqueue failed; left for recovery');
    }
    return { command, run_id: run.id, run: runJson(run) };
  }

  async run(actor: Actor, machineId: number, runId: number) {
    const m = await this.machines.anyById(machineId);
    if (!m) throw notFound();
    const r = await this.runs.byId(runId);
    if (!r || r.machineId !== machineId) throw notFound();
    // the issuer of a run recorded before issue 15 #8 (result 5) may still read it
    if (!canSee(actor, m) && r.workerId !== actor.id) throw notFound();
    return runJson(r);
  }

  /** a machine's history stays readable by its owner (and staff) after the machine is deleted */
  async machineHistory(actor: Actor, machineId: number, q: HistoryQuery, page: Page) {
    const m = await this.machines.anyById(machineId);
    if (!m || !canSee(actor, m)) throw notFound();
    return this.page({ ...filterOf(q), machineId }, page);
  }

  /** the caller's commands (the original filtered on `worker`), or ?scope=owned for their machines */
  async userHistory(actor: Actor, q: HistoryQuery, page: Page) {
    const who = q.scope === 'owned' ? { ownerId: actor.id } : { workerId: actor.id };
    return this.page({ ...filterOf(q), ...who }, page);
  }

  private async page(f: HistoryFilter, page: Page) {
    const rows = await this.runs.history(f, page.pageSize + 1, page.offset);
    return { items: rows.slice(0, page.pageSize).map(runJson), hasNext: rows.length > page.pageSize };
  }
}

function filterOf(q: HistoryQuery): HistoryFilter {
  return {
    command: q.command,
    result: q.result,
    from: q.from ? (parseIsoDateTime(q.from) ?? undefined) : undefined,
    to: q.to ? (parseIsoDateTime(q.to) ?? undefined) : undefined,
  };
}

/** START/STOP in any case; anything else is 400 (the original silently ignored it, result 6) */
export function parseCommand(body: unknown): Command {
  const raw = body && typeof body === 'object' && !Array.isArray(body) ? (body as { command?: unknown }).command : undefined;
  if (raw === undefined || raw === null || raw === '') {
    throw new AppError('VALIDATION_ERROR', 400, { command: [{ kind: 'required' }] });
  }
  const upper = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  if ((COMMANDS as readonly string[]).includes(upper)) return upper as Command;
  throw new AppError('UNKNOWN_COMMAND', 400, { command: [{ kind: 'choice', value: String(raw).slice(0, 100) }] });
}
