// A machine driver carries one command to one machine and reports what the machine said, in the
// original's result codes (docs/apps/machines.md §2.3): 1 SUCCESS, 2 REMOTEFAILED, 3 INTERNALFAILED, 4 PENDING.
// Drivers never throw: every failure becomes a result with a short reason.
import type { Connection } from '../floor/floor.table.js';
import type { Command } from '../machines.schemas.js';

export interface DriverTarget {
  id: number;
  endpointUrl: string | null;
  /** the machine's OPC UA or MQTT connection, if it has one (docs/apps/machines.md §10.1) */
  connection?: Connection | null;
  /** the run being carried out: its id is the command's correlation id on the wire */
  runId?: number;
  /** which claim of the run this is (> 1: a takeover after a lost worker, §10.2) */
  attempt?: number;
}

export interface DriverOutcome {
  result: 1 | 2 | 3 | 4;
  /** why, for anything but SUCCESS: shown on the run, never raw exception text */
  reason: string | null;
}

export interface MachineDriver {
  readonly kind: 'simulator' | 'http' | 'mqtt' | 'opcua' | 'routing';
  execute(target: DriverTarget, command: Command): Promise<DriverOutcome>;
}

/** reading a machine's JSON reply the way the original did, minus its crashes (docs/apps/machines.md §9.8) */
export function outcomeOfReply(body: unknown): DriverOutcome {
  const result = body && typeof body === 'object' && !Array.isArray(body) ? (body as { result?: unknown }).result : undefined;
  if (result === 1 || result === '1') return { result: 1, reason: null };
  if (result === 2 || result === '2') return { result: 2, reason: 'remote_failed' };
  return { result: 4, reason: result === undefined ? 'reply_without_result' : 'unknown_reply' };
}

/**
 * Machines with a connection go to the driver of its protocol, the others to the default driver
 * (MACHINE_DRIVER, or the one a test passes).
 */
export class RoutingDriver implements MachineDriver {
  readonly kind = 'routing' as const;
  constructor(
    private readonly fallback: MachineDriver,
    private readonly byProtocol: Partial<Record<'mqtt' | 'opcua', MachineDriver>>,
  ) {}

  execute(target: DriverTarget, command: Command): Promise<DriverOutcome> {
    const p = target.connection?.protocol as 'mqtt' | 'opcua' | undefined;
    const d = p ? this.byProtocol[p] : this.fallback;
    if (!d) return Promise.resolve({ result: 3, reason: 'no_driver' });
    return d.execute(target, command);
  }
}
