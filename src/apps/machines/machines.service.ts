// Machines CRUD (docs/apps/machines.md §3.5-§3.9) with §9.5, §9.10, §9.11 and §9.15 fixed: callers see their own
// machines (staff see all), every object route checks 404 (missing, or not yours to see) then 403 (staff), bodies of any content type
// work, lists are ordered and paginated, deletes are soft so that history stays readable.
import type { Db } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import type { MachineEvents } from './events.js';
import type { MachinesRepository } from './machines.repository.js';
import { machineBody, type MachineInput } from './machines.schemas.js';
import type { Machine } from './machines.table.js';
import type { RunsRepository } from './runs.repository.js';
import { machineJson } from './serialize.js';
import { parseBody } from './validate.js';

export interface Actor {
  id: number;
  isStaff: boolean;
}

export interface Page {
  page: number;
  pageSize: number;
  offset: number;
}

export const notFound = () => new AppError('MACHINE_NOT_FOUND', 404);
export const forbidden = () => new AppError('MACHINE_FORBIDDEN', 403);

/**
 * Someone else's machine is 404 to a user who may not see it, exactly as a missing one, so its
 * id reveals nothing (issue 15 #8); staff see every machine and get 403 where only the owner may act.
 */
export function canSee(actor: Actor, m: { ownerId: number }): boolean {
  return m.ownerId === actor.id || actor.isStaff;
}

export class MachinesService {
  constructor(
    private readonly db: Db,
    private readonly machines: MachinesRepository,
    private readonly runs: RunsRepository,
    private readonly events: MachineEvents,
  ) {}

  async list(actor: Actor, page: Page) {
    const rows = await this.machines.list(actor.isStaff ? null : actor.id, page.pageSize + 1, page.offset);
    return { items: rows.slice(0, page.pageSize).map(machineJson), hasNext: rows.length > page.pageSize };
  }

  async create(actor: Actor, input: MachineInput) {
    const m = await this.machines.insert(actor.id, {
      name: input.name,
      location: input.location,
      status: input.status,
      endpointUrl: input.endpoint_url ?? null,
    });
    await this.events.machine(m, 'created');
    return machineJson(m);
  }

  async get(actor: Actor, id: number) {
    return machineJson(await this.readable(actor, id));
  }

  async update(actor: Actor, id: number, body: unknown) {
    await this.owned(actor, id);
    const input = parseBody(machineBody, body);
    const m = await this.machines.update(id, {
      name: input.name,
      location: input.location,
      status: input.status,
      endpointUrl: input.endpoint_url,
    });
    if (!m) throw notFound();
    await this.events.machine(m, 'updated');
    return machineJson(m);
  }

  /** pending runs of the machine are closed as failed; a run already on the wire finishes */
  async remove(actor: Actor, id: number): Promise<void> {
    const m = await this.owned(actor, id);
    const closed = await this.db.transaction(async (tx) => {
      if (!(await this.machines.softDelete(id, tx as unknown as Db))) throw notFound();
      return this.runs.failQueuedOf(tx as unknown as Db, id);
    });
    await this.events.machine({ ...m, deletedAt: new Date() }, 'deleted');
    for (const r of closed) await this.events.run(r);
  }

  /** a live machine the actor may read: its owner, or staff; to anyone else it does not exist */
  async readable(actor: Actor, id: number): Promise<Machine> {
    const m = await this.machines.byId(id);
    if (!m || !canSee(actor, m)) throw notFound();
    return m;
  }

  /** a live machine the actor owns (updates, deletes and commands are the owner's alone) */
  async owned(actor: Actor, id: number): Promise<Machine> {
    const m = await this.machines.byId(id);
    if (!m || !canSee(actor, m)) throw notFound();
    if (m.ownerId !== actor.id) throw forbidden();
    return m;
  }
}
