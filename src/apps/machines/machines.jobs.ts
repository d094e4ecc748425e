// The run job: claim the run (a conditional UPDATE with a lease), keep the lease alive by
// heartbeat while the driver talks to the machine, then record the result and the machine's new
// status in one transaction, only if this worker still owns the run.
// Crash recovery: a worker killed mid-run stops renewing its lease. recover() (at worker start and
// every 30 s) hands out pending runs and running ones; a delivery of a running run waits until the
// lease is renewed (owner alive: keep waiting until it finishes) or runs out (owner dead: take it
// over and carry it out again). After MAX_CLAIMS takeovers the run is failed instead, so a run that
// kills its workers cannot loop forever. The machine is never left with a run in progress.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../core/db/client.js';
import { defineJob, type JobDefinition } from '../../core/queue/queue.js';
import type { MachineDriver } from './drivers/driver.js';
import type { MachineEvents } from './events.js';
import type { MachineLogs } from './logs.js';
import type { MachinesRepository } from './machines.repository.js';
import { MACHINE_STATUS, OPERATION_RESULT, type Command } from './machines.schemas.js';
import type { Run } from './machines.table.js';
import { HEARTBEAT_MS, LEASE_MS, type Outcome, type RunsRepository } from './runs.repository.js';
import { commandAllowed, jobIdOf, RUN_JOB } from './runs.service.js';

export const MAX_CLAIMS = 3;

interface Deps {
  db: Db;
  machines: MachinesRepository;
  runs: RunsRepository;
  driver: MachineDriver;
  events: MachineEvents;
  logs: MachineLogs;
}

/** the machine status a result leads to (docs/apps/machines.md §6.2, with START success → RUNNING, §9.1) */
export function statusAfter(command: Command, result: number): number | null {
  if (result === OPERATION_RESULT.SUCCESS) return command === 'START' ? MACHINE_STATUS.RUNNING : MACHINE_STATUS.READY;
  if (result === OPERATION_RESULT.REMOTEFAILED) return MACHINE_STATUS.ERROR;
  if (result === OPERATION_RESULT.PENDING) return MACHINE_STATUS.PENDING;
  return null;
}

function stateOf(result: number): Outcome['state'] {
  if (result === OPERATION_RESULT.INTERNALFAILED) return 'failed';
  if (result === OPERATION_RESULT.INVALIDCOMMAND || result === OPERATION_RESULT.PERMISSIONDENIED) return 'rejected';
  return 'done';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function runJobs(d: Deps): JobDefinition<never>[] {
  const log = d.logs.worker;
  let startupSweepDone = false;

  async function execute(run: Run, token: string): Promise<void> {
    const beat = setInterval(() => {
      d.runs.renew(run.id, token).catch((err: unknown) => log.warn({ err, runId: run.id }, 'lease renewal failed'));
    }, HEARTBEAT_MS);
    try {
      const command = run.command as Command;
      const m = await d.machines.anyById(run.machineId);
      let outcome: { result: number; reason: string | null };
      if (!m || m.deletedAt) outcome = { result: OPERATION_RESULT.INTERNALFAILED, reason: 'machine_deleted' };
      else if (!commandAllowed(m.status, command)) outcome = { result: OPERATION_RESULT.INVALIDCOMMAND, reason: 'invalid_state' };
      else outcome = await d.driver.execute({ id: m.id, endpointUrl: m.endpointUrl }, command);
      await finish(run, token, outcome);
    } finally {
      clearInterval(beat);
    }
  }

  async function finish(run: Run, token: string, o: { result: number; reason: string | null }) {
    const next = statusAfter(run.command as Command, o.result);
    const out = await d.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const closed = await d.runs.finish(tx, run.id, token, { state: stateOf(o.result), result: o.result, reason: o.reason, statusAfter: next });
      if (!closed) return undefined;
      const machine = next === null ? undefined : await d.machines.setStatus(tx, run.machineId, next);
      return { closed, machine };
    });
    if (!out) {
      log.warn({ runId: run.id }, 'run was taken over by another worker; result discarded');
      return;
    }
    log.info({ runId: run.id, machineId: run.machineId, command: run.command, result: o.result, reason: o.reason }, 'run finished');
    await d.events.run(out.closed);
    if (out.machine) await d.events.machine(out.machine, 'status');
  }

  async function handle({ runId }: { runId: number }) {
    const deadline = Date.now() + 3 * LEASE_MS;
    for (;;) {
      const left = await d.runs.leaseLeft(runId);
      if (left === undefined) return; // finished (or unknown): nothing to do, deliveries are idempotent
      if (left < 0) {
        const token = randomUUID();
        const run = await d.runs.claim(runId, token);
        if (run) {
          if (run.attempts > MAX_CLAIMS) {
            const failed = await d.runs.failOpen(runId, 'worker_lost');
            log.error({ runId }, 'run abandoned after repeated worker loss');
            if (failed) await d.events.run(failed);
            return;
          }
          if (run.attempts > 1) log.warn({ runId, attempt: run.attempts }, 'taking over a run whose worker stopped');
          else await d.events.run(run);
          try {
            await execute(run, token);
          } catch (err) {
            await d.runs.release(runId, token).catch(() => undefined);
            throw err;
          }
          return;
        }
      }
      // another worker holds the lease: wait for it to finish or to die (bounded; sweeps retry)
      if (Date.now() > deadline) return;
      await sleep(Math.min(Math.max(left, 50) + 50, 1000));
    }
  }

  return [
    defineJob<{ runId: number }>({
      name: RUN_JOB,
      // a driver never throws; only database trouble gets here, so a few retries are safe
      attempts: 3,
      backoffMs: 500,
      handle,
      async onFailed({ runId }, err) {
        log.error({ err, runId }, 'run failed for good');
        const failed = await d.runs.failOpen(runId, 'job_failed');
        if (failed) await d.events.run(failed);
      },
      async recover() {
        // the first sweep of a process also looks at live leases: their worker may have just died
        const rows = await d.runs.recoverable(!startupSweepDone);
        startupSweepDone = true;
        return rows.map((r) => ({
          payload: { runId: r.id },
          jobId: r.state === 'pending' ? jobIdOf(r.id) : `${jobIdOf(r.id)}-takeover`,
        }));
      },
    }) as JobDefinition<never>,
  ];
}
