// Drizzle queries for users and machines. Deleted machines are invisible here except through
// anyById (history stays readable after a delete).
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/client.js';
import { Batcher } from '../../core/tasks/batcher.js';
import { machines, machineUsers, type Machine, type MachineUser } from './machines.table.js';

export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
  firstName?: string;
  lastName?: string;
  isStaff?: boolean;
  isSuperuser?: boolean;
}

export class UsersRepository {
  /**
   * users asked for at the same moment (every authenticated request loads its caller) are read in
   * one statement: a round trip is the dearest part of a small request
   */
  private readonly reads = new Batcher<number, MachineUser | undefined>(async (ids) => {
    const rows = await this.db.select().from(machineUsers).where(inArray(machineUsers.id, [...new Set(ids)]));
    const byId = new Map(rows.map((u) => [u.id, u]));
    return ids.map((id) => byId.get(id));
  });

  constructor(private readonly db: Db) {}

  async insert(values: NewUser): Promise<MachineUser> {
    const [row] = await this.db.insert(machineUsers).values(values).returning();
    return row!;
  }

  byId(id: number): Promise<MachineUser | undefined> {
    return this.reads.add(id);
  }

  async byUsername(username: string): Promise<MachineUser | undefined> {
    const [row] = await this.db
      .select()
      .from(machineUsers)
      .where(sql`lower(${machineUsers.username}) = lower(${username})`)
      .limit(1);
    return row;
  }

  async taken(username: string, email: string): Promise<{ username: boolean; email: boolean }> {
    const rows = await this.db
      .select({ username: machineUsers.username, email: machineUsers.email })
      .from(machineUsers)
      .where(sql`lower(${machineUsers.username}) = lower(${username}) or lower(${machineUsers.email}) = lower(${email})`);
    return {
      username: rows.some((r) => r.username.toLowerCase() === username.toLowerCase()),
      email: rows.some((r) => r.email.toLowerCase() === email.toLowerCase()),
    };
  }

  async recordLogin(id: number, newHash?: string): Promise<MachineUser> {
    const [row] = await this.db
      .update(machineUsers)
      .set({ lastLogin: new Date(), ...(newHash ? { passwordHash: newHash } : {}) })
      .where(eq(machineUsers.id, id))
      .returning();
    return row!;
  }
}

export interface MachineValues {
  name: string;
  location: string;
  status?: number;
  endpointUrl?: string | null;
}

export class MachinesRepository {
  constructor(private readonly db: Db) {}

  async insert(ownerId: number, v: MachineValues): Promise<Machine> {
    const [row] = await this.db
      .insert(machines)
      .values({ ownerId, name: v.name, location: v.location, status: v.status ?? 1, endpointUrl: v.endpointUrl ?? null })
      .returning();
    return row!;
  }

  /** a live (not deleted) machine */
  async byId(id: number, db: Db = this.db): Promise<Machine | undefined> {
    const [row] = await db
      .select()
      .from(machines)
      .where(and(eq(machines.id, id), isNull(machines.deletedAt)))
      .limit(1);
    return row;
  }

  /** deleted or not: for history and for a run whose machine went away */
  async anyById(id: number, db: Db = this.db): Promise<Machine | undefined> {
    const [row] = await db.select().from(machines).where(eq(machines.id, id)).limit(1);
    return row;
  }

  async lockLive(db: Db, id: number): Promise<Machine | undefined> {
    const [row] = await db
      .select()
      .from(machines)
      .where(and(eq(machines.id, id), isNull(machines.deletedAt)))
      .for('update')
      .limit(1);
    return row;
  }

  /** one page (plus one row, to tell whether another page follows); null owner = every owner */
  async list(ownerId: number | null, limit: number, offset: number): Promise<Machine[]> {
    const where = ownerId === null ? isNull(machines.deletedAt) : and(eq(machines.ownerId, ownerId), isNull(machines.deletedAt));
    return this.db.select().from(machines).where(where).orderBy(asc(machines.id)).limit(limit).offset(offset);
  }

  async update(id: number, v: MachineValues): Promise<Machine | undefined> {
    const [row] = await this.db
      .update(machines)
      .set({
        name: v.name,
        location: v.location,
        ...(v.status !== undefined ? { status: v.status } : {}),
        ...(v.endpointUrl !== undefined ? { endpointUrl: v.endpointUrl } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(machines.id, id), isNull(machines.deletedAt)))
      .returning();
    return row;
  }

  async softDelete(id: number, db: Db = this.db): Promise<boolean> {
    const rows = await db
      .update(machines)
      .set({ deletedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(machines.id, id), isNull(machines.deletedAt)))
      .returning({ id: machines.id });
    return rows.length === 1;
  }

  async setStatus(db: Db, id: number, status: number): Promise<Machine | undefined> {
    const [row] = await db
      .update(machines)
      .set({ status, updatedAt: new Date() })
      .where(eq(machines.id, id))
      .returning();
    return row;
  }

  /** machines by id, deleted or not, in one statement (the run task reads a batch of them at once) */
  async anyByIds(ids: number[]): Promise<Machine[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(machines).where(inArray(machines.id, ids));
  }

  /**
   * Each machine's new status, for many at once in one statement (runs finished together); the
   * machines written, in no particular order.
   */
  async setStatuses(db: Db, changes: Array<{ id: number; status: number }>): Promise<Machine[]> {
    if (changes.length === 0) return [];
    const values = changes.map((c) => sql`(${c.id}::bigint, ${c.status}::smallint)`);
    const ids = sql.join(changes.map((c) => sql`${c.id}::bigint`), sql`, `);
    // the rows are locked in id order first (as a batch of commands locks them, RunsRepository
    // commandBatched), so that the two never wait on each other in a cycle
    return db
      .update(machines)
      .set({ status: sql`v.status`, updatedAt: sql`now()` })
      .from(sql`(values ${sql.join(values, sql`, `)}) as v(id, status)`)
      .where(sql`${machines.id} = v.id and ${machines.id} in (select id from machines_machines where id in (${ids}) order by id for update)`)
      .returning();
  }
}
