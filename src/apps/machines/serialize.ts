// Row → JSON in the original's field order (docs/apps/machines.md §3), timestamps as ISO-8601 UTC.
import { runState, type Machine, type MachineUser, type Run } from './machines.table.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function userJson(u: MachineUser) {
  return {
    id: u.id,
    last_login: iso(u.lastLogin),
    username: u.username,
    email: u.email,
    is_staff: u.isStaff,
    is_active: u.isActive,
    is_superuser: u.isSuperuser,
    first_name: u.firstName,
    last_name: u.lastName,
    date_joined: u.dateJoined.toISOString(),
    groups: [] as never[],
    user_permissions: [] as never[],
  };
}

export function machineJson(m: Machine) {
  return {
    id: m.id,
    name: m.name,
    location: m.location,
    status: m.status,
    owner_id: m.ownerId,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
    endpoint_url: m.endpointUrl,
  };
}

export function runJson(r: Run) {
  return {
    id: r.id,
    request_datetime: r.requestDatetime.toISOString(),
    command: r.command,
    worker: r.workerId,
    machine_id: r.machineId,
    result: r.result,
    machine_owner_id: r.machineOwnerId,
    created_at: r.createdAt.toISOString(),
    state: runState(r),
    reason: r.reason,
    status_after: r.statusAfter,
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt),
    attempts: r.attempts,
  };
}

export type RunJson = ReturnType<typeof runJson>;
export type MachineJson = ReturnType<typeof machineJson>;
