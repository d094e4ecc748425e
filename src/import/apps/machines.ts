// machines (project-injection, PostgreSQL): accounts, injection_molding_machines and
// machines_history, with their ids. The original had no foreign keys: a machine whose owner was
// deleted cannot be kept (madang's machines need an owner), and history rows of a deleted machine
// are kept under a deleted stand-in machine so the owner still reads them. History rows become
// finished runs (task-rows.ts). Not imported: Django groups and permissions (unused).
import { machines, machineUsers, runs } from '../../apps/machines/machines.table.js';
import { insert, tableStep, type Engine, type Outcome, type Unit } from '../engine.js';
import { lower } from '../names.js';
import { carryHash } from '../passwords.js';
import { pagesOf, type Row } from '../source.js';
import { machineRunRow, RESULT } from '../task-rows.js';
import { allRows, planColumns } from '../users.js';
import { bool, date, int, str } from '../values.js';
import { maxId, requireTables } from './common.js';

const USERS = 'accounts';
const MACHINES = 'injection_molding_machines';
const HISTORY = 'machines_history';
const HOUR = 3600_000;

export async function importMachines(engine: Engine): Promise<void> {
  const { source } = engine.ctx;
  await requireTables(source, [USERS, MACHINES, HISTORY]);
  await importAccounts(engine);
  await importMachineRows(engine);
  await keepDeletedMachines(engine);
  await importHistory(engine);
  for (const t of [machineUsers, machines, runs]) await engine.bumpSequence(t);
}

async function importAccounts(engine: Engine): Promise<void> {
  const { source, report, now } = engine.ctx;
  const all = await allRows(source, USERS);
  const plan = await planColumns(engine, USERS, machineUsers, all, [
    { source: 'username', target: machineUsers.username, label: 'username', max: 150, fold: lower, kind: 'name' },
    { source: 'email', target: machineUsers.email, label: 'e-mail', max: 254, fold: lower, kind: 'email', empty: 'placeholder' },
  ]);
  await engine.bumpSequence(machineUsers, maxId(all));
  await engine.runStep(
    tableStep(USERS, source, (n) => pagesOf(source, USERS, n), (r: Row) => String(r.id), async (rows) => {
      const ids = await engine.keepIds(machineUsers, rows.map((r) => int(r, 'id')!));
      return rows.map((r): Outcome => {
        const sourceId = int(r, 'id')!;
        const p = plan.get(sourceId)!;
        const { id, moved } = ids.get(sourceId)!;
        const pw = carryHash(str(r, 'password'));
        if (pw.unusable) report.reason(USERS, 'note', pw.unusable, String(sourceId));
        const repairs = [...p.username!.repairs, ...p.email!.repairs];
        if (pw.repair) repairs.push({ reason: pw.repair });
        if (moved) repairs.push({ reason: 'id already used by an account created in madang; given a new id', detail: `→ ${id}` });
        return {
          sourceId: String(sourceId),
          targetId: String(id),
          repairs,
          writes: [
            insert(machineUsers, {
              id,
              username: p.username!.value!,
              email: p.email!.value!,
              passwordHash: pw.hash,
              firstName: (str(r, 'first_name') ?? '').slice(0, 30),
              lastName: (str(r, 'last_name') ?? '').slice(0, 150),
              isStaff: bool(r, 'is_staff'),
              isSuperuser: bool(r, 'is_superuser'),
              isActive: bool(r, 'is_active', true),
              lastLogin: date(r, 'last_login'),
              dateJoined: date(r, 'date_joined') ?? now,
            }),
          ],
        };
      });
    }),
  );
}

async function importMachineRows(engine: Engine): Promise<void> {
  const { source, report, now } = engine.ctx;
  await engine.bumpSequence(machines, await source.maxId(MACHINES));
  await engine.runStep(
    tableStep(MACHINES, source, (n) => pagesOf(source, MACHINES, n), (r: Row) => String(r.id), async (rows) => {
      const ids = await engine.keepIds(machines, rows.map((r) => int(r, 'id')!));
      const out: Outcome[] = [];
      for (const r of rows) {
        const sourceId = int(r, 'id')!;
        const ownerId = await engine.target(USERS, int(r, 'owner_id'));
        if (ownerId === undefined) {
          out.push({ sourceId: String(sourceId), skip: 'owner account no longer exists (the original had no foreign key)' });
          continue;
        }
        const { id, moved } = ids.get(sourceId)!;
        const repairs: Unit['repairs'] = [];
        let status = int(r, 'status');
        if (status === null || status < 0 || status > 4) {
          repairs.push({ reason: 'status outside POWEROFF…ERROR (an older enum); set to ERROR (4)', detail: String(r.status) });
          status = 4;
        }
        if (moved) repairs.push({ reason: 'id already used by a machine created in madang; given a new id', detail: `→ ${id}` });
        const location = (str(r, 'location') ?? '').slice(0, 256);
        const endpointUrl = endpointOf(location);
        if (endpointUrl) report.reason(MACHINES, 'note', 'location is a URL (the original sent commands there): also kept as endpoint_url', String(sourceId));
        out.push({
          sourceId: String(sourceId),
          targetId: String(id),
          repairs,
          writes: [
            insert(machines, {
              id,
              name: (str(r, 'name') ?? '').slice(0, 64),
              location,
              endpointUrl,
              status,
              ownerId,
              createdAt: date(r, 'created_at') ?? now,
              updatedAt: date(r, 'updated_at') ?? date(r, 'created_at') ?? now,
            }),
          ],
        });
      }
      return out;
    }),
  );
}

function endpointOf(location: string): string | null {
  if (location.length > 512 || !/^https?:\/\//i.test(location)) return null;
  try {
    const u = new URL(location);
    return u.username || u.password ? null : location;
  } catch {
    return null;
  }
}

/**
 * Machines the original deleted while history rows still name them: one deleted stand-in each,
 * owned by the owner of its latest history row, so the history keeps a machine to belong to.
 */
async function keepDeletedMachines(engine: Engine): Promise<void> {
  const { source } = engine.ctx;
  const label = `${MACHINES} (deleted)`;
  const gone = await source.query(`
    select h.machine_id as id, min(h.created_at) as first_at, max(h.created_at) as last_at,
      (array_agg(h.machine_owner_id order by h.id desc))[1] as owner_id
    from ${HISTORY} h where not exists (select 1 from ${MACHINES} m where m.id = h.machine_id)
    group by h.machine_id order by h.machine_id`);
  await engine.runStep({
    table: label,
    idTable: MACHINES,
    total: async () => gone.length,
    async *pages(size) {
      for (let i = 0; i < gone.length; i += size) yield gone.slice(i, i + size);
    },
    idOf: (r: Row) => String(r.id),
    plan: async (rows) => {
      const ids = await engine.keepIds(machines, rows.map((r) => int(r, 'id')!));
      const out: Outcome[] = [];
      for (const r of rows) {
        const sourceId = int(r, 'id')!;
        const ownerId = await engine.target(USERS, int(r, 'owner_id'));
        if (ownerId === undefined) {
          out.push({ sourceId: String(sourceId), skip: 'deleted machine whose owner is gone too: its history cannot be kept' });
          continue;
        }
        const { id } = ids.get(sourceId)!;
        const lastAt = date(r, 'last_at') ?? engine.ctx.now;
        out.push({
          sourceId: String(sourceId),
          targetId: String(id),
          repairs: [{ reason: 'machine deleted in the original while its history remained; kept as a deleted machine' }],
          writes: [
            insert(machines, {
              id,
              name: `(삭제됨) #${sourceId}`.slice(0, 64),
              location: '(삭제됨)',
              status: 0,
              ownerId,
              createdAt: date(r, 'first_at') ?? lastAt,
              updatedAt: lastAt,
              deletedAt: lastAt,
            }),
          ],
        });
      }
      return out;
    },
  });
}

async function importHistory(engine: Engine): Promise<void> {
  const { source } = engine.ctx;
  await engine.bumpSequence(runs, await source.maxId(HISTORY));
  await engine.runStep(
    tableStep(HISTORY, source, (n) => pagesOf(source, HISTORY, n), (r: Row) => String(r.id), async (rows) => {
      const ids = await engine.keepIds(runs, rows.map((r) => int(r, 'id')!));
      const out: Outcome[] = [];
      for (const r of rows) out.push(await historyUnit(engine, r, ids.get(int(r, 'id')!)!));
      return out;
    }),
  );
}

async function historyUnit(engine: Engine, r: Row, target: { id: number; moved: boolean }): Promise<Outcome> {
  const sourceId = String(int(r, 'id'));
  const command = (str(r, 'command') ?? '').trim().toUpperCase();
  if (command !== 'START' && command !== 'STOP') return { sourceId, skip: 'command other than START/STOP (never a run)' };
  const result = int(r, 'result');
  if (result === RESULT.IGNORE) return { sourceId, skip: 'result IGNORE (6): the original records no run for it' };
  if (result === null || result < 1 || result > 7) return { sourceId, skip: 'result code outside 1–7' };
  const machineId = await engine.target(MACHINES, int(r, 'machine_id'));
  if (machineId === undefined) return { sourceId, skip: 'machine gone and could not be kept (its owner is gone)' };
  const workerId = await engine.target(USERS, int(r, 'worker'));
  if (workerId === undefined) return { sourceId, skip: 'issuing user no longer exists' };
  const ownerId = await engine.target(USERS, int(r, 'machine_owner_id'));
  if (ownerId === undefined) return { sourceId, skip: "machine's owner at the time no longer exists" };
  const createdAt = date(r, 'created_at') ?? engine.ctx.now;
  let requestDatetime = date(r, 'request_datetime') ?? createdAt;
  const repairs: Unit['repairs'] = [];
  if (command !== str(r, 'command')) repairs.push({ reason: 'command in another case or with spaces; upper-cased' });
  // the original stored a naive Asia/Seoul wall-clock time as UTC: 9 h ahead of when it was written
  const ahead = requestDatetime.getTime() - createdAt.getTime();
  if (ahead > 8 * HOUR && ahead < 10 * HOUR) {
    requestDatetime = new Date(requestDatetime.getTime() - 9 * HOUR);
    repairs.push({ reason: 'request_datetime 9 h ahead (Asia/Seoul wall clock stored as UTC); corrected' });
  }
  if (target.moved) repairs.push({ reason: 'id already used by a run created in madang; given a new id', detail: `→ ${target.id}` });
  return {
    sourceId,
    targetId: String(target.id),
    repairs,
    writes: [insert(runs, machineRunRow({ id: target.id, machineId, workerId, machineOwnerId: ownerId, command, result, requestDatetime, createdAt }))],
  };
}
