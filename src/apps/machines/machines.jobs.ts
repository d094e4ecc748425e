// The run task (core/tasks): claim the run under a lease, let the driver talk to the machine, then
// record the result and the machine's new status in one transaction, only if this claim still holds
// the run. A worker killed mid-run stops renewing its lease; the run is taken over once it runs out,
// and after `attempts` claims it fails instead (WORKER_LOST), so a run that kills its workers cannot
// loop forever. The machine is never left with a run in progress.
import { z } from 'zod';
import type { Db } from '../../core/db/client.js';
import type { JobDefinition } from '../../core/queue/queue.js';
import type { RealtimeHub } from '../../core/realtime/hub.js';
import { Batcher } from '../../core/tasks/batcher.js';
import { TaskStore } from '../../core/tasks/store.js';
import { defineTask, TASK_FAILED, WORKER_LOST } from '../../core/tasks/task.js';
import type { MachineDriver } from './drivers/driver.js';
import { STAFF_TOPIC, userTopic, type MachineEvents } from './events.js';
import type { MachineLogs } from './logs.js';
import type { MachinesRepository } from './machines.repository.js';
import { MACHINE_STATUS, OPERATION_RESULT, type Command } from './machines.schemas.js';
import { INTERNAL_FAILED, MACHINE_DELETED, REJECTED, runs, type Machine } from './machines.table.js';
import { commandAllowed, RUN_JOB } from './runs.service.js';
import { runJson } from './serialize.js';

/** how long a claim lasts without renewal; a crashed worker's run is taken over after this */
export const LEASE_MS = 10_000;
/** claims of one run in total (retries of a database error and takeovers of a dead worker) */
export const MAX_CLAIMS = 3;
/**
 * runs carried out at once per process: a run mostly waits (on the database, on the machine), so
 * many in flight cost little. Their claims, machine reads and finishes go to the database in
 * batches (core/tasks Batcher), so more runs in flight means bigger batches, not more connections.
 */
export const RUN_CONCURRENCY = 256;

const runPayload = z.object({ runId: z.number().int().positive() });

declare module '../../core/tasks/registry.js' {
  interface TaskRegistry {
    'machines.run': typeof runPayload;
  }
}

export interface RunTaskDeps {
  db: Db;
  hub: RealtimeHub;
  machines: MachinesRepository;
  driver: MachineDriver;
  events: MachineEvents;
  logs: MachineLogs;
  leaseMs?: number;
  concurrency?: number;
}

/** the machine status a result leads to (START success → RUNNING, where the original left READY) */
export function statusAfter(command: Command, result: number): number | null {
  if (result === OPERATION_RESULT.SUCCESS) return command === 'START' ? MACHINE_STATUS.RUNNING : MACHINE_STATUS.READY;
  if (result === OPERATION_RESULT.REMOTEFAILED) return MACHINE_STATUS.ERROR;
  if (result === OPERATION_RESULT.PENDING) return MACHINE_STATUS.PENDING;
  return null;
}

/** the original's reason for a run closed by the task rules */
const REASONS: Record<string, string> = { [WORKER_LOST]: 'worker_lost', [TASK_FAILED]: 'job_failed', [MACHINE_DELETED]: 'machine_deleted' };

export function runTask(d: RunTaskDeps): JobDefinition {
  const log = d.logs.worker;
  // runs finished at the same moment write their machines' new statuses in one statement, in the
  // transaction that marks them done (only the runs whose claim still held)
  const store = new TaskStore(d.db, runs, {
    key: runs.id,
    leaseMs: d.leaseMs ?? LEASE_MS,
    afterComplete: async (tx, done) => {
      const changed = await d.machines.setStatuses(
        tx,
        done.filter((r) => r.statusAfter !== null).map((r) => ({ id: r.machineId, status: r.statusAfter! })),
      );
      const byId = new Map(changed.map((m) => [m.id, m]));
      return done.map((r) => (r.statusAfter === null ? undefined : byId.get(r.machineId)));
    },
  });
  // the machines of runs starting at the same moment, read in one statement
  const machineReads = new Batcher<number, Machine | undefined>(async (ids) => {
    const found = new Map((await d.machines.anyByIds([...new Set(ids)])).map((m) => [m.id, m]));
    return ids.map((id) => found.get(id));
  });
  return defineTask({
    name: RUN_JOB,
    payload: runPayload,
    store,
    keyOf: (p) => p.runId,
    payloadOf: (runId) => ({ runId }),
    attempts: MAX_CLAIMS,
    backoffMs: 500,
    concurrency: d.concurrency ?? RUN_CONCURRENCY,
    failureSet: (code) => ({ result: OPERATION_RESULT.INTERNALFAILED, reason: REASONS[code] ?? null }),
    progress: {
      hub: d.hub,
      topics: (r) => [userTopic(r.machineOwnerId), STAFF_TOPIC],
      message: (r) => ({ type: 'run', run: runJson(r) }),
    },
    async onFailed(r, code) {
      log.warn({ runId: r.id, machineId: r.machineId, command: r.command, code, reason: r.reason }, 'run failed');
    },
    async run(ctx) {
      const run = ctx.row;
      const command = run.command as Command;
      const m = await machineReads.add(run.machineId);
      if (!m || m.deletedAt) {
        await ctx.fail(MACHINE_DELETED);
        return;
      }
      if (!commandAllowed(m.status, command)) {
        await ctx.fail(REJECTED, { result: OPERATION_RESULT.INVALIDCOMMAND, reason: 'invalid_state' });
        return;
      }
      const o = await d.driver.execute({ id: m.id, endpointUrl: m.endpointUrl }, command);
      if (o.result === OPERATION_RESULT.INTERNALFAILED) {
        await ctx.fail(INTERNAL_FAILED, { result: o.result, reason: o.reason });
        return;
      }
      const next = statusAfter(command, o.result);
      // the machine's new status (statusAfter) is written by the store's afterComplete above
      const done = await ctx.complete({ set: { result: o.result, reason: o.reason, statusAfter: next } });
      if (!done) return;
      log.info({ runId: run.id, machineId: run.machineId, command, result: o.result, reason: o.reason }, 'run finished');
      const machine = done.out as Machine | undefined;
      if (machine) await d.events.machine(machine, 'status');
    },
  });
}
