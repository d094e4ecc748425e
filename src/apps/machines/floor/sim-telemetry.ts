// The built-in simulator's telemetry (docs/apps/machines.md §10.3): every simulated machine (one
// without an OPC UA or MQTT connection) reports a reading per tick shaped like an injection-moulding
// machine's: cycles of a machine-specific set point (12-30 s) with ±2 % scatter while RUNNING,
// cumulative cycle/good/reject counters (about 2 % rejects), barrel and mould temperatures that
// settle on their set points when heated, cool towards the hall's 25 °C when off and overshoot on ERROR.
import { and, isNull, notExists, eq, sql, desc } from 'drizzle-orm';
import type { Db } from '../../../core/db/client.js';
import type { Logger } from '../../../core/observability/logger.js';
import { machines } from '../machines.table.js';
import { connections, readings, type Reading } from './floor.table.js';
import type { TelemetryStore } from './telemetry.js';

interface SimState {
  ts: number;
  carryMs: number;
  cycleCounter: number;
  good: number;
  reject: number;
  barrel: number;
  mould: number;
  lastCycleMs: number | null;
}

const AMBIENT = 25;
const MAX_MACHINES = 1000;

/** a stable per-machine number in [0, 1) so each machine has its own set points */
const trait = (id: number, salt: number) => ((Math.sin(id * 12.9898 + salt * 78.233) * 43758.5453) % 1 + 1) % 1;

export function setPoints(id: number) {
  return { cycleMs: Math.round(12_000 + trait(id, 1) * 18_000), barrel: 210 + Math.round(trait(id, 2) * 40), mould: 40 + Math.round(trait(id, 3) * 30) };
}

/** one step of a simulated machine from its state at s.ts to `now` (pure: unit-tested) */
export function step(id: number, status: number, s: SimState, now: number, random: () => number = Math.random): Reading {
  const sp = setPoints(id);
  const dt = Math.max(0, now - s.ts);
  const gauss = () => (random() + random() + random() - 1.5) / 1.5;
  if (status === 2) {
    let budget = s.carryMs + dt;
    for (;;) {
      const cycle = Math.round(sp.cycleMs * (1 + 0.02 * gauss()));
      if (budget < cycle) break;
      budget -= cycle;
      s.cycleCounter += 1;
      if (random() < 0.02) s.reject += 1;
      else s.good += 1;
      s.lastCycleMs = cycle;
    }
    s.carryMs = budget;
  } else s.carryMs = 0;
  // first-order approach to the target temperature, time constant 60 s
  const k = 1 - Math.exp(-dt / 60_000);
  const heated = status !== 0;
  const barrelTarget = status === 4 ? sp.barrel + 25 : heated ? sp.barrel : AMBIENT;
  const mouldTarget = heated ? sp.mould : AMBIENT;
  s.barrel += (barrelTarget - s.barrel) * k + 0.4 * gauss();
  s.mould += (mouldTarget - s.mould) * k + 0.2 * gauss();
  s.ts = now;
  return {
    machineId: id,
    ts: new Date(now),
    state: status,
    cycleTimeMs: status === 2 ? s.lastCycleMs : null,
    cycleCounter: s.cycleCounter,
    goodParts: s.good,
    rejectParts: s.reject,
    barrelTempC: Math.round(s.barrel * 10) / 10,
    mouldTempC: Math.round(s.mould * 10) / 10,
  };
}

export class SimulatorTelemetry {
  private readonly state = new Map<number, SimState>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly db: Db, private readonly store: TelemetryStore, private readonly log: Logger, private readonly everyMs: number) {}

  start(): void {
    if (this.everyMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async tick(now = Date.now()): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    try {
      const live = await this.db
        .select({ id: machines.id, status: machines.status })
        .from(machines)
        .where(
          and(
            isNull(machines.deletedAt),
            isNull(machines.endpointUrl),
            notExists(this.db.select({ x: sql`1` }).from(connections).where(eq(connections.machineId, machines.id))),
          ),
        )
        .orderBy(machines.id)
        .limit(MAX_MACHINES);
      for (const m of live) this.store.push(step(m.id, m.status, await this.stateOf(m.id, now), now));
      return live.length;
    } catch (err) {
      this.log.warn({ err }, 'machines: simulator telemetry tick failed');
      return 0;
    } finally {
      this.busy = false;
    }
  }

  /** counters continue from the machine's newest stored reading (across restarts) */
  private async stateOf(id: number, now: number): Promise<SimState> {
    let s = this.state.get(id);
    if (s) return s;
    const [last] = await this.db.select().from(readings).where(eq(readings.machineId, id)).orderBy(desc(readings.ts)).limit(1);
    s = {
      ts: now,
      carryMs: 0,
      cycleCounter: last?.cycleCounter ?? 0,
      good: last?.goodParts ?? 0,
      reject: last?.rejectParts ?? 0,
      barrel: last?.barrelTempC ?? AMBIENT,
      mould: last?.mouldTempC ?? AMBIENT,
      lastCycleMs: last?.cycleTimeMs ?? null,
    };
    this.state.set(id, s);
    return s;
  }
}
