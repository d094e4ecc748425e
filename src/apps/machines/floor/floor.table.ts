// Shop-floor tables of the machines app (docs/apps/machines.md §10): how a machine is reached
// (OPC UA or MQTT), its telemetry (raw readings, then hourly roll-ups), alarm rules and alarms.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  smallint,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { machines, machineUsers } from '../machines.table.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });
const machineRef = () =>
  bigint('machine_id', { mode: 'number' })
    .notNull()
    .references(() => machines.id, { onDelete: 'cascade' });

/** one per machine at most: the protocol, endpoint and credentials a driver uses for it */
export const connections = pgTable(
  'machines_connections',
  {
    machineId: machineRef().primaryKey(),
    protocol: varchar('protocol', { length: 8 }).notNull(),
    url: varchar('url', { length: 512 }).notNull(),
    username: varchar('username', { length: 128 }),
    /** needed in clear to log in to the machine; never returned by the API */
    password: varchar('password', { length: 256 }),
    /** MQTT: the machine's base topic (…/cmd, …/reply, …/telemetry) */
    topic: varchar('topic', { length: 200 }),
    /** OPC UA: node id of the machine object (methods Start/Stop, status and production nodes below it) */
    nodeId: varchar('node_id', { length: 256 }),
    securityMode: varchar('security_mode', { length: 16 }).notNull().default('None'),
    securityPolicy: varchar('security_policy', { length: 32 }).notNull().default('None'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('machines_connections_protocol_check', sql`${t.protocol} in ('mqtt', 'opcua')`)],
);

/** raw telemetry: every field optional (a source sends what it has) */
export const readings = pgTable(
  'machines_readings',
  {
    machineId: machineRef(),
    ts: ts('ts').notNull(),
    state: smallint('state'),
    cycleTimeMs: integer('cycle_time_ms'),
    cycleCounter: bigint('cycle_counter', { mode: 'number' }),
    goodParts: bigint('good_parts', { mode: 'number' }),
    rejectParts: bigint('reject_parts', { mode: 'number' }),
    barrelTempC: real('barrel_temp_c'),
    mouldTempC: real('mould_temp_c'),
  },
  (t) => [index('machines_readings_machine_ts_idx').on(t.machineId, t.ts)],
);

/** what the retention job keeps of raw readings older than MACHINE_TELEMETRY_RAW_DAYS */
export const hourly = pgTable(
  'machines_readings_hourly',
  {
    machineId: machineRef(),
    hour: ts('hour').notNull(),
    samples: integer('samples').notNull(),
    stateSamples: integer('state_samples').notNull(),
    runningSamples: integer('running_samples').notNull(),
    cycleTimeAvg: doublePrecision('cycle_time_avg'),
    cycleTimeMax: doublePrecision('cycle_time_max'),
    /** highest and lowest cumulative counters seen in the hour (parts = rise of the counter) */
    goodParts: bigint('good_parts', { mode: 'number' }),
    goodPartsMin: bigint('good_parts_min', { mode: 'number' }),
    rejectParts: bigint('reject_parts', { mode: 'number' }),
    rejectPartsMin: bigint('reject_parts_min', { mode: 'number' }),
    barrelTempAvg: doublePrecision('barrel_temp_avg'),
    mouldTempAvg: doublePrecision('mould_temp_avg'),
  },
  (t) => [primaryKey({ columns: [t.machineId, t.hour] })],
);

export const ALARM_KINDS = ['threshold', 'out_of_range', 'no_data', 'state_error'] as const;
export const METRICS = ['cycle_time_ms', 'barrel_temp_c', 'mould_temp_c', 'reject_parts'] as const;

export const alarmRules = pgTable(
  'machines_alarm_rules',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    machineId: machineRef(),
    kind: varchar('kind', { length: 16 }).notNull(),
    metric: varchar('metric', { length: 24 }),
    min: doublePrecision('min'),
    max: doublePrecision('max'),
    durationS: integer('duration_s').notNull().default(0),
    severity: varchar('severity', { length: 8 }).notNull().default('warning'),
    /** out_of_range: since when the metric has been outside its range (null: inside) */
    breachSince: ts('breach_since'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('machines_alarm_rules_kind_check', sql`${t.kind} in ('threshold', 'out_of_range', 'no_data', 'state_error')`),
    check('machines_alarm_rules_severity_check', sql`${t.severity} in ('info', 'warning', 'critical')`),
    index('machines_alarm_rules_machine_idx').on(t.machineId),
  ],
);

export const alarms = pgTable(
  'machines_alarms',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ruleId: bigint('rule_id', { mode: 'number' })
      .notNull()
      .references(() => alarmRules.id, { onDelete: 'cascade' }),
    machineId: machineRef(),
    ownerId: bigint('owner_id', { mode: 'number' })
      .notNull()
      .references(() => machineUsers.id, { onDelete: 'cascade' }),
    kind: varchar('kind', { length: 16 }).notNull(),
    severity: varchar('severity', { length: 8 }).notNull(),
    message: varchar('message', { length: 200 }).notNull(),
    value: doublePrecision('value'),
    raisedAt: ts('raised_at').notNull(),
    clearedAt: ts('cleared_at'),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: bigint('acknowledged_by', { mode: 'number' }).references(() => machineUsers.id, { onDelete: 'set null' }),
  },
  (t) => [
    // one open alarm per rule: raising twice is a no-op, decided by the database
    uniqueIndex('machines_alarms_open_key').on(t.ruleId).where(sql`${t.clearedAt} is null`),
    index('machines_alarms_machine_time_idx').on(t.machineId, t.raisedAt.desc(), t.id.desc()),
  ],
);

export type Connection = typeof connections.$inferSelect;
export type Reading = typeof readings.$inferInsert;
export type AlarmRule = typeof alarmRules.$inferSelect;
export type Alarm = typeof alarms.$inferSelect;

export const FLOOR_TABLES = ['machines_alarms', 'machines_alarm_rules', 'machines_readings_hourly', 'machines_readings', 'machines_connections'];
