// Alarms (docs/apps/machines.md §10.5): per-machine rules evaluated on every stored reading
// (threshold, out_of_range for a duration, state_error) and by a periodic sweep (no_data for a
// duration, a machine whose status is ERROR). An alarm is raised once per rule until it clears
// (a partial unique index decides), kept as history, pushed live, and acknowledged by the owner.
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../core/db/client.js';
import type { Logger } from '../../../core/observability/logger.js';
import type { MachineEvents } from '../events.js';
import { machines } from '../machines.table.js';
import { alarmRules, alarms, type Alarm, type AlarmRule, type Reading } from './floor.table.js';
import type { TelemetryQueries } from './telemetry.js';

const ERROR_STATE = 4;
const RULE_TTL_MS = 10_000;

type Metric = 'cycle_time_ms' | 'barrel_temp_c' | 'mould_temp_c' | 'reject_parts';
const FIELD: Record<Metric, keyof Reading> = {
  cycle_time_ms: 'cycleTimeMs',
  barrel_temp_c: 'barrelTempC',
  mould_temp_c: 'mouldTempC',
  reject_parts: 'rejectParts',
};

export function valueOf(r: Reading, metric: string | null): number | null {
  const f = FIELD[metric as Metric];
  const v = f ? r[f] : null;
  return typeof v === 'number' ? v : null;
}

/** outside [min, max] (either bound optional) */
export function outside(v: number, rule: Pick<AlarmRule, 'min' | 'max'>): boolean {
  return (rule.max !== null && v > rule.max) || (rule.min !== null && v < rule.min);
}

export function alarmJson(a: Alarm) {
  return {
    id: a.id,
    rule_id: a.ruleId,
    machine_id: a.machineId,
    kind: a.kind,
    severity: a.severity,
    message: a.message,
    value: a.value,
    raised_at: a.raisedAt.toISOString(),
    cleared_at: a.clearedAt?.toISOString() ?? null,
    acknowledged_at: a.acknowledgedAt?.toISOString() ?? null,
    acknowledged_by: a.acknowledgedBy,
    active: a.clearedAt === null,
  };
}

export function ruleJson(r: AlarmRule) {
  return {
    id: r.id,
    machine_id: r.machineId,
    kind: r.kind,
    metric: r.metric,
    min: r.min,
    max: r.max,
    duration_s: r.durationS,
    severity: r.severity,
    enabled: r.enabled,
    created_at: r.createdAt.toISOString(),
  };
}

interface Cached {
  at: number;
  ownerId: number;
  rules: AlarmRule[];
}

export class AlarmEngine {
  private readonly cache = new Map<number, Cached>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    private readonly db: Db,
    private readonly events: MachineEvents,
    private readonly telemetry: TelemetryQueries,
    private readonly log: Logger,
    private readonly sweepMs: number,
  ) {}

  start(): void {
    if (this.sweepMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.sweepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** after a rule changed on this instance (other instances reload within RULE_TTL_MS) */
  forget(machineId: number): void {
    this.cache.delete(machineId);
  }

  private async rulesOf(ids: number[]): Promise<Map<number, Cached>> {
    const now = Date.now();
    const stale = ids.filter((id) => {
      const c = this.cache.get(id);
      return !c || now - c.at > RULE_TTL_MS;
    });
    if (stale.length) {
      const owners = await this.db.select({ id: machines.id, ownerId: machines.ownerId }).from(machines).where(inArray(machines.id, stale));
      const rules = await this.db
        .select()
        .from(alarmRules)
        .where(and(inArray(alarmRules.machineId, stale), eq(alarmRules.enabled, true)));
      for (const o of owners) this.cache.set(o.id, { at: now, ownerId: o.ownerId, rules: rules.filter((r) => r.machineId === o.id) });
    }
    const out = new Map<number, Cached>();
    for (const id of ids) {
      const c = this.cache.get(id);
      if (c?.rules.length) out.set(id, c);
    }
    return out;
  }

  /** every stored reading, in order per machine */
  async onReadings(rows: Reading[]): Promise<void> {
    const byMachine = new Map<number, Reading[]>();
    for (const r of rows) {
      const list = byMachine.get(r.machineId);
      if (list) list.push(r);
      else byMachine.set(r.machineId, [r]);
    }
    const rules = await this.rulesOf([...byMachine.keys()]);
    for (const [machineId, c] of rules) {
      const list = byMachine.get(machineId)!.sort((a, b) => a.ts.getTime() - b.ts.getTime());
      for (const rule of c.rules) await this.evaluate(rule, c.ownerId, list);
    }
  }

  private async evaluate(rule: AlarmRule, ownerId: number, list: Reading[]): Promise<void> {
    const last = list[list.length - 1]!;
    switch (rule.kind) {
      case 'no_data':
        await this.clear(rule, ownerId, last.ts);
        return;
      case 'state_error': {
        const withState = list.filter((r) => r.state !== null && r.state !== undefined);
        const r = withState[withState.length - 1];
        if (!r) return;
        if (r.state === ERROR_STATE) await this.raise(rule, ownerId, r.ts, ERROR_STATE, 'machine reports ERROR');
        else await this.clear(rule, ownerId, r.ts);
        return;
      }
      case 'threshold':
      case 'out_of_range': {
        for (const r of list) {
          const v = valueOf(r, rule.metric);
          if (v === null) continue;
          if (!outside(v, rule)) {
            if (rule.breachSince) await this.setBreach(rule, null);
            await this.clear(rule, ownerId, r.ts);
            continue;
          }
          if (rule.kind === 'threshold') {
            await this.raise(rule, ownerId, r.ts, v, `${rule.metric} ${v} outside ${range(rule)}`);
            continue;
          }
          if (!rule.breachSince) await this.setBreach(rule, r.ts);
          if (r.ts.getTime() - rule.breachSince!.getTime() >= rule.durationS * 1000) {
            await this.raise(rule, ownerId, r.ts, v, `${rule.metric} ${v} outside ${range(rule)} for ${rule.durationS} s`);
          }
        }
      }
    }
  }

  private async setBreach(rule: AlarmRule, since: Date | null): Promise<void> {
    rule.breachSince = since;
    await this.db.update(alarmRules).set({ breachSince: since }).where(eq(alarmRules.id, rule.id));
  }

  private async raise(rule: AlarmRule, ownerId: number, at: Date, value: number | null, message: string): Promise<void> {
    const [a] = await this.db
      .insert(alarms)
      .values({
        ruleId: rule.id,
        machineId: rule.machineId,
        ownerId,
        kind: rule.kind,
        severity: rule.severity,
        message: message.slice(0, 200),
        value,
        raisedAt: at,
      })
      .onConflictDoNothing({ target: alarms.ruleId, where: sql`${alarms.clearedAt} is null` })
      .returning();
    if (a) await this.events.floor(ownerId, { type: 'alarm', event: 'raised', alarm: alarmJson(a) });
  }

  private async clear(rule: AlarmRule, ownerId: number, at: Date): Promise<void> {
    const rows = await this.db
      .update(alarms)
      .set({ clearedAt: at })
      .where(and(eq(alarms.ruleId, rule.id), isNull(alarms.clearedAt)))
      .returning();
    for (const a of rows) await this.events.floor(ownerId, { type: 'alarm', event: 'cleared', alarm: alarmJson(a) });
  }

  /** no_data rules (silence for duration_s) and state_error rules of machines whose status is ERROR */
  async sweep(now = new Date()): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const rules = await this.db
        .select({ rule: alarmRules, ownerId: machines.ownerId, status: machines.status, createdAt: machines.createdAt })
        .from(alarmRules)
        .innerJoin(machines, eq(machines.id, alarmRules.machineId))
        .where(and(eq(alarmRules.enabled, true), isNull(machines.deletedAt), inArray(alarmRules.kind, ['no_data', 'state_error'])))
        .limit(10_000);
      const silent = rules.filter((r) => r.rule.kind === 'no_data');
      const seen = await this.telemetry.lastSeen([...new Set(silent.map((r) => r.rule.machineId))]);
      for (const { rule, ownerId, status } of rules) {
        if (rule.kind === 'state_error') {
          if (status === ERROR_STATE) await this.raise(rule, ownerId, now, ERROR_STATE, 'machine status is ERROR');
          continue;
        }
        // silence counts from the newest reading, or from when the rule was made if none came yet
        const since = seen.get(rule.machineId) ?? rule.createdAt;
        if (now.getTime() - since.getTime() >= rule.durationS * 1000) {
          await this.raise(rule, ownerId, now, null, `no data for ${rule.durationS} s`);
        }
      }
    } catch (err) {
      this.log.warn({ err }, 'machines: alarm sweep failed');
    } finally {
      this.sweeping = false;
    }
  }

  async history(machineId: number, active: boolean | undefined, limit: number, offset: number): Promise<Alarm[]> {
    const where: SQL[] = [eq(alarms.machineId, machineId)];
    if (active === true) where.push(isNull(alarms.clearedAt));
    if (active === false) where.push(sql`${alarms.clearedAt} is not null`);
    return this.db
      .select()
      .from(alarms)
      .where(and(...where))
      .orderBy(desc(alarms.raisedAt), desc(alarms.id))
      .limit(limit)
      .offset(offset);
  }

  async acknowledge(machineId: number, alarmId: number, by: number, ownerId: number): Promise<Alarm | undefined> {
    const [a] = await this.db.select().from(alarms).where(and(eq(alarms.id, alarmId), eq(alarms.machineId, machineId))).limit(1);
    if (!a) return undefined;
    if (a.acknowledgedAt) return a;
    const [u] = await this.db
      .update(alarms)
      .set({ acknowledgedAt: new Date(), acknowledgedBy: by })
      .where(and(eq(alarms.id, alarmId), isNull(alarms.acknowledgedAt)))
      .returning();
    const out = u ?? a;
    if (u) await this.events.floor(ownerId, { type: 'alarm', event: 'acknowledged', alarm: alarmJson(out) });
    return out;
  }
}

function range(rule: Pick<AlarmRule, 'min' | 'max'>): string {
  return `[${rule.min ?? '-∞'}, ${rule.max ?? '∞'}]`;
}

