// The shop-floor routes' logic (docs/apps/machines.md §10): every object is reached through its
// machine, and the machine through readable() (owner or staff) or owned() (owner only), so another
// user's machine answers 404/403 exactly as the rest of the machines API does.
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../../core/db/client.js';
import { AppError } from '../../../core/errors.js';
import type { MachinesService, Actor, Page } from '../machines.service.js';
import { machines } from '../machines.table.js';
import { parseBody } from '../validate.js';
import { alarmJson, ruleJson, type AlarmEngine } from './alarms.js';
import { EndpointPolicy, normaliseUrl } from './endpoints.js';
import { alarmRules, alarms, connections, type Connection, type Reading } from './floor.table.js';
import { connectionBody, MAX_FUTURE_MS, type ReadingIn } from './floor.schemas.js';
import type { TelemetryQueries, TelemetryStore } from './telemetry.js';
import { bucketFor, MAX_RANGE_MS, rawCutoff } from './telemetry-buckets.js';

const MAX_RULES = 50;
const MAX_FLOOR = 500;
const DAY = 86_400_000;

export function connectionJson(c: Connection) {
  return {
    machine_id: c.machineId,
    protocol: c.protocol as 'mqtt' | 'opcua',
    url: c.url,
    username: c.username,
    has_password: !!c.password,
    topic: c.topic,
    node_id: c.nodeId,
    security_mode: c.securityMode,
    security_policy: c.securityPolicy,
    updated_at: c.updatedAt.toISOString(),
  };
}

export function toReading(machineId: number, r: ReadingIn, now: number): Reading | string {
  const ts = r.ts ? new Date(r.ts) : new Date(now);
  if (ts.getTime() > now + MAX_FUTURE_MS) return 'ts_in_future';
  return {
    machineId,
    ts,
    state: r.state ?? null,
    cycleTimeMs: r.cycle_time_ms ?? null,
    cycleCounter: r.cycle_counter ?? null,
    goodParts: r.good_parts ?? null,
    rejectParts: r.reject_parts ?? null,
    barrelTempC: r.barrel_temp_c ?? null,
    mouldTempC: r.mould_temp_c ?? null,
  };
}

export class FloorService {
  constructor(
    private readonly db: Db,
    private readonly machines: MachinesService,
    private readonly store: TelemetryStore,
    private readonly queries: TelemetryQueries,
    private readonly engine: AlarmEngine,
    private readonly policy: EndpointPolicy,
    private readonly rawDays: number,
    private readonly onConnectionChange: (machineId: number) => void,
  ) {}

  async connectionOf(machineId: number): Promise<Connection | null> {
    const [c] = await this.db.select().from(connections).where(eq(connections.machineId, machineId)).limit(1);
    return c ?? null;
  }

  async connectionsOf(machineIds: number[]): Promise<Connection[]> {
    if (!machineIds.length) return [];
    return this.db.select().from(connections).where(inArray(connections.machineId, machineIds));
  }

  async getConnection(actor: Actor, id: number) {
    await this.machines.owned(actor, id);
    const c = await this.connectionOf(id);
    if (!c) throw new AppError('MACHINE_NOT_FOUND', 404);
    return connectionJson(c);
  }

  async putConnection(actor: Actor, id: number, body: unknown) {
    await this.machines.owned(actor, id);
    const input = parseBody(connectionBody, body);
    const url = normaliseUrl(input.url);
    const refused = this.policy.check(url, input.protocol);
    if (refused) throw new AppError('VALIDATION_ERROR', 400, { url: [{ kind: 'code', code: refused }] });
    if (input.protocol === 'mqtt' && !input.topic) throw new AppError('VALIDATION_ERROR', 400, { topic: [{ kind: 'required' }] });
    if (input.protocol === 'opcua' && !input.node_id) throw new AppError('VALIDATION_ERROR', 400, { node_id: [{ kind: 'required' }] });
    const values = {
      machineId: id,
      protocol: input.protocol,
      url,
      username: input.username || null,
      password: input.password || null,
      topic: input.protocol === 'mqtt' ? input.topic! : null,
      nodeId: input.protocol === 'opcua' ? input.node_id! : null,
      securityMode: input.security_mode ?? 'None',
      securityPolicy: input.security_policy ?? 'None',
      updatedAt: new Date(),
    };
    const [c] = await this.db
      .insert(connections)
      .values(values)
      .onConflictDoUpdate({ target: connections.machineId, set: values })
      .returning();
    this.onConnectionChange(id);
    return connectionJson(c!);
  }

  async deleteConnection(actor: Actor, id: number) {
    await this.machines.owned(actor, id);
    const gone = await this.db.delete(connections).where(eq(connections.machineId, id)).returning();
    if (!gone.length) throw new AppError('MACHINE_NOT_FOUND', 404);
    this.onConnectionChange(id);
  }

  /** a gateway's batch, written before the reply (the owner's machines only) */
  async ingest(actor: Actor, id: number, list: ReadingIn[]) {
    await this.machines.owned(actor, id);
    const now = Date.now();
    const rows: Reading[] = [];
    const fields: Record<string, Array<{ kind: 'code'; code: string }>> = {};
    list.forEach((r, i) => {
      const row = toReading(id, r, now);
      if (typeof row === 'string') fields[`readings.${i}.ts`] = [{ kind: 'code', code: 'MACHINE_INVALID_DATETIME' }];
      else rows.push(row);
    });
    if (Object.keys(fields).length) throw new AppError('VALIDATION_ERROR', 400, fields);
    await this.store.ingest(rows);
    return { stored: rows.length };
  }

  async series(actor: Actor, id: number, q: { from?: string; to?: string; bucket?: string }) {
    await this.machines.readable(actor, id);
    const now = new Date();
    const to = q.to ? new Date(q.to) : now;
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY);
    if (from >= to) throw new AppError('MACHINE_RANGE_EMPTY', 400, { from: [{ kind: 'code', code: 'MACHINE_RANGE_EMPTY' }] });
    if (to.getTime() - from.getTime() > MAX_RANGE_MS) {
      throw new AppError('MACHINE_RANGE_TOO_LONG', 400, { to: [{ kind: 'code', code: 'MACHINE_RANGE_TOO_LONG' }] });
    }
    // before the raw retention only hourly roll-ups exist: no bucket finer than an hour there
    const minBucket = from < rawCutoff(now, this.rawDays) ? 3600 : 0;
    const auto = bucketFor(to.getTime() - from.getTime(), minBucket);
    const asked = q.bucket ? Number(q.bucket) : auto;
    // a requested bucket is honoured unless it would give more than MAX_POINTS points
    const bucket = Math.max(asked, auto);
    return this.queries.series(id, from, to, bucket, now);
  }

  /** the caller's machines (staff too: their own floor) with the newest reading and today's parts */
  async floor(actor: Actor, q: { since?: string }) {
    const now = Date.now();
    let since = q.since ? new Date(q.since) : new Date(new Date(now).setUTCHours(0, 0, 0, 0));
    if (since.getTime() < now - 2 * DAY) since = new Date(now - 2 * DAY);
    const mine = await this.db
      .select()
      .from(machines)
      .where(and(eq(machines.ownerId, actor.id), isNull(machines.deletedAt)))
      .orderBy(asc(machines.id))
      .limit(MAX_FLOOR);
    const ids = mine.map((m) => m.id);
    const data = await this.queries.floor(ids, since);
    const protocols = ids.length
      ? await this.db.select({ id: connections.machineId, p: connections.protocol }).from(connections).where(inArray(connections.machineId, ids))
      : [];
    const open = ids.length
      ? await this.db
          .select({ id: alarms.machineId, n: count() })
          .from(alarms)
          .where(and(inArray(alarms.machineId, ids), isNull(alarms.clearedAt)))
          .groupBy(alarms.machineId)
      : [];
    return mine.map((m) => {
      const d = data.get(m.id);
      return {
        id: m.id,
        name: m.name,
        location: m.location,
        status: m.status,
        protocol: protocols.find((p) => p.id === m.id)?.p ?? (m.endpointUrl ? 'http' : 'simulator'),
        latest: d?.reading ?? null,
        good_parts_today: d?.goodToday ?? 0,
        reject_parts_today: d?.rejectToday ?? 0,
        active_alarms: Number(open.find((o) => o.id === m.id)?.n ?? 0),
      };
    });
  }

  async rules(actor: Actor, id: number) {
    await this.machines.readable(actor, id);
    const rows = await this.db.select().from(alarmRules).where(eq(alarmRules.machineId, id)).orderBy(asc(alarmRules.id)).limit(MAX_RULES);
    return rows.map(ruleJson);
  }

  async addRule(actor: Actor, id: number, input: import('./floor.schemas.js').RuleInput) {
    await this.machines.owned(actor, id);
    const metric = input.metric ?? null;
    const bounded = input.min !== null && input.min !== undefined ? true : input.max !== null && input.max !== undefined;
    const valueRule = input.kind === 'threshold' || input.kind === 'out_of_range';
    const bad =
      (valueRule && (!metric || !bounded)) ||
      (input.min != null && input.max != null && input.min > input.max) ||
      (input.kind === 'no_data' && !input.duration_s) ||
      (input.kind === 'out_of_range' && !input.duration_s);
    if (bad) throw new AppError('MACHINE_RULE_INVALID', 400, { non_field_errors: [{ kind: 'code', code: 'MACHINE_RULE_INVALID' }] });
    const [{ n } = { n: 0 }] = await this.db.select({ n: count() }).from(alarmRules).where(eq(alarmRules.machineId, id));
    if (Number(n) >= MAX_RULES) throw new AppError('TOO_MANY_RULES', 409);
    const [r] = await this.db
      .insert(alarmRules)
      .values({
        machineId: id,
        kind: input.kind,
        metric: valueRule ? metric : null,
        min: valueRule ? (input.min ?? null) : null,
        max: valueRule ? (input.max ?? null) : null,
        durationS: input.duration_s ?? 0,
        severity: input.severity ?? (input.kind === 'state_error' ? 'critical' : 'warning'),
      })
      .returning();
    this.engine.forget(id);
    return ruleJson(r!);
  }

  async deleteRule(actor: Actor, id: number, ruleId: number) {
    await this.machines.owned(actor, id);
    const gone = await this.db
      .delete(alarmRules)
      .where(and(eq(alarmRules.id, ruleId), eq(alarmRules.machineId, id)))
      .returning({ id: alarmRules.id });
    if (!gone.length) throw new AppError('RULE_NOT_FOUND', 404);
    this.engine.forget(id);
  }

  async alarms(actor: Actor, id: number, active: boolean | undefined, page: Page) {
    await this.machines.readable(actor, id);
    const rows = await this.engine.history(id, active, page.pageSize + 1, page.offset);
    return { items: rows.slice(0, page.pageSize).map(alarmJson), hasNext: rows.length > page.pageSize };
  }

  async acknowledge(actor: Actor, id: number, alarmId: number) {
    const m = await this.machines.owned(actor, id);
    const a = await this.engine.acknowledge(id, alarmId, actor.id, m.ownerId);
    if (!a) throw new AppError('ALARM_NOT_FOUND', 404);
    return alarmJson(a);
  }
}
