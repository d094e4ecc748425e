// Live status: every machine change and run transition is published to the owner's topic and to
// the staff topic (staff see every machine). core.hub fans out across API instances.
import type { RealtimeHub } from '../../core/realtime/hub.js';
import type { Logger } from '../../core/observability/logger.js';
import type { Machine, Run } from './machines.table.js';
import { machineJson, runJson } from './serialize.js';

export const userTopic = (userId: number) => `machines:user:${userId}`;
export const STAFF_TOPIC = 'machines:staff';

export class MachineEvents {
  constructor(private readonly hub: RealtimeHub, private readonly log: Logger) {}

  machine(m: Machine, event: 'created' | 'updated' | 'deleted' | 'status'): Promise<void> {
    return this.send(m.ownerId, { type: 'machine', event, machine: machineJson(m) });
  }

  run(r: Run): Promise<void> {
    return this.send(r.machineOwnerId, { type: 'run', run: runJson(r) });
  }

  /** shop-floor events (telemetry, alarms) to the owner and staff, docs/apps/machines.md §10.6 */
  floor(ownerId: number, data: { type: 'telemetry' | 'alarm' } & Record<string, unknown>): Promise<void> {
    return this.send(ownerId, data);
  }

  /** publishing is best effort: a lost notification must never fail the request or the run */
  private async send(ownerId: number, data: unknown): Promise<void> {
    try {
      await Promise.all([this.hub.publish(userTopic(ownerId), data), this.hub.publish(STAFF_TOPIC, data)]);
    } catch (err) {
      this.log.warn({ err }, 'machines: publish failed');
    }
  }
}
