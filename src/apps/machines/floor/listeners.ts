// Live values from connected machines (docs/apps/machines.md §10.3): every MQTT machine's
// T/telemetry topic and every OPC UA machine's subscription feed the telemetry store. The set of
// machines is re-read every REFRESH_MS and at once when a connection changes on this instance.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../core/db/client.js';
import type { Logger } from '../../../core/observability/logger.js';
import { machines } from '../machines.table.js';
import { connections, type Connection } from './floor.table.js';
import { readingIn, MAX_BATCH } from './floor.schemas.js';
import { toReading } from './floor.service.js';
import type { TelemetryStore } from './telemetry.js';

const REFRESH_MS = 30_000;
const MAX_CONNECTIONS = 1000;

export interface LiveSource {
  readonly protocol: 'mqtt' | 'opcua';
  /** start (or keep) delivering this machine's values to `push`; throws if unreachable now */
  listen(c: Connection, push: (payload: unknown) => void): Promise<void>;
  /** stop listening to machines not in `keep` */
  retain?(keep: Set<number>): Promise<void>;
}

export class LiveTelemetry {
  private timer: NodeJS.Timeout | undefined;
  private readonly listening = new Map<number, string>();
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly store: TelemetryStore,
    private readonly sources: LiveSource[],
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer || !this.sources.length) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  changed(machineId: number): void {
    this.listening.delete(machineId);
    if (this.timer) void this.refresh();
  }

  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.doRefresh()).catch((err: unknown) => this.log.warn({ err }, 'machines: live telemetry refresh failed'));
    return this.refreshing;
  }

  /** a payload from a machine: one reading or an array of them; bad ones are dropped */
  accept(machineId: number, payload: unknown): number {
    const list = Array.isArray(payload) ? payload.slice(0, MAX_BATCH) : [payload];
    let n = 0;
    const now = Date.now();
    for (const p of list) {
      const r = readingIn.safeParse(p);
      if (!r.success) continue;
      const row = toReading(machineId, r.data, now);
      if (typeof row === 'string') continue;
      this.store.push(row);
      n++;
    }
    return n;
  }

  private async doRefresh(): Promise<void> {
    const rows = await this.db
      .select({ c: connections })
      .from(connections)
      .innerJoin(machines, eq(machines.id, connections.machineId))
      .where(and(isNull(machines.deletedAt)))
      .limit(MAX_CONNECTIONS);
    const keep = new Set(rows.map((r) => r.c.machineId));
    for (const { c } of rows) {
      const stamp = `${c.protocol}|${c.url}|${c.topic}|${c.nodeId}|${c.updatedAt.toISOString()}`;
      if (this.listening.get(c.machineId) === stamp) continue;
      const src = this.sources.find((s) => s.protocol === c.protocol);
      if (!src) continue;
      try {
        await src.listen(c, (payload) => this.accept(c.machineId, payload));
        this.listening.set(c.machineId, stamp);
      } catch (err) {
        // unreachable now: tried again on the next refresh
        this.log.debug({ err, machineId: c.machineId }, 'machines: live telemetry not available');
      }
    }
    for (const id of this.listening.keys()) if (!keep.has(id)) this.listening.delete(id);
    for (const s of this.sources) await s.retain?.(keep);
  }
}
