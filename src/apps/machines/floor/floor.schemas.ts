// Request and reply schemas of the shop-floor routes (docs/apps/machines.md §10): every number is
// bounded, every list capped, every range limited.
import { z } from 'zod';
import { ALARM_KINDS, METRICS } from './floor.table.js';

const isoDate = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'MACHINE_INVALID_DATETIME');
const temp = z.number().min(-50).max(600).nullish();
const counter = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish();

/** one reading as a gateway, an MQTT machine or the simulator sends it; `ts` defaults to arrival */
export const readingIn = z.object({
  ts: isoDate.optional(),
  state: z.number().int().min(0).max(4).nullish(),
  cycle_time_ms: z.number().int().min(0).max(3_600_000).nullish(),
  cycle_counter: counter,
  good_parts: counter,
  reject_parts: counter,
  barrel_temp_c: temp,
  mould_temp_c: temp,
});
export type ReadingIn = z.infer<typeof readingIn>;
export const MAX_BATCH = 1000;
export const ingestBody = z.object({ readings: z.array(readingIn).min(1).max(MAX_BATCH) });

/** readings more than this far in the future are refused (clock skew of a gateway is tolerated) */
export const MAX_FUTURE_MS = 5 * 60_000;

export const seriesQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** seconds per point; chosen from the range when absent (at most 720 points) */
  bucket: z.enum(['10', '60', '300', '900', '3600', '21600', '86400']).optional(),
});

export const floorQuery = z.object({
  /** start of "today" in the caller's time zone; at most 48 h back (default: UTC midnight) */
  since: isoDate.optional(),
});

const protocol = z.enum(['mqtt', 'opcua']);
export const connectionBody = z.object({
  protocol,
  url: z.string().trim().min(1).max(512),
  username: z.string().max(128).nullish(),
  password: z.string().max(256).nullish(),
  /** MQTT base topic: letters, digits and - _ . / only, no wildcards */
  topic: z
    .string()
    .trim()
    .max(200)
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'format:topic')
    .nullish(),
  /** OPC UA node id of the machine object, e.g. ns=1;s=Machine1 */
  node_id: z.string().trim().max(256).regex(/^(ns=\d{1,5};)?[isgb]=[^\s]{1,200}$/, 'format:node_id').nullish(),
  security_mode: z.enum(['None', 'Sign', 'SignAndEncrypt']).optional(),
  security_policy: z.enum(['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss']).optional(),
});
export type ConnectionInput = z.infer<typeof connectionBody>;

export const connectionOut = z.object({
  machine_id: z.number(),
  protocol,
  url: z.string(),
  username: z.string().nullable(),
  has_password: z.boolean(),
  topic: z.string().nullable(),
  node_id: z.string().nullable(),
  security_mode: z.string(),
  security_policy: z.string(),
  updated_at: z.string(),
});

export const ruleBody = z.object({
  kind: z.enum(ALARM_KINDS),
  metric: z.enum(METRICS).nullish(),
  min: z.number().min(-1e9).max(1e9).nullish(),
  max: z.number().min(-1e9).max(1e9).nullish(),
  duration_s: z.number().int().min(0).max(7 * 86_400).optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
});
export type RuleInput = z.infer<typeof ruleBody>;

export const ruleOut = z.object({
  id: z.number(),
  machine_id: z.number(),
  kind: z.string(),
  metric: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  duration_s: z.number(),
  severity: z.string(),
  enabled: z.boolean(),
  created_at: z.string(),
});

export const alarmOut = z.object({
  id: z.number(),
  rule_id: z.number(),
  machine_id: z.number(),
  kind: z.string(),
  severity: z.string(),
  message: z.string(),
  value: z.number().nullable(),
  raised_at: z.string(),
  cleared_at: z.string().nullable(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.number().nullable(),
  active: z.boolean(),
});

export const alarmsQuery = z.object({
  active: z.enum(['true', 'false']).optional(),
  page: z.string().max(12).optional(),
  page_size: z.string().max(12).optional(),
});

const readingOut = z.object({
  ts: z.string(),
  state: z.number().nullable(),
  cycle_time_ms: z.number().nullable(),
  cycle_counter: z.number().nullable(),
  good_parts: z.number().nullable(),
  reject_parts: z.number().nullable(),
  barrel_temp_c: z.number().nullable(),
  mould_temp_c: z.number().nullable(),
});

export const seriesOut = z.object({
  from: z.string(),
  to: z.string(),
  bucket_s: z.number(),
  points: z.array(
    z.object({
      t: z.string(),
      samples: z.number(),
      cycle_time_ms: z.number().nullable(),
      cycle_time_max_ms: z.number().nullable(),
      good_parts: z.number(),
      reject_parts: z.number(),
      barrel_temp_c: z.number().nullable(),
      mould_temp_c: z.number().nullable(),
      running: z.number().nullable(),
    }),
  ),
  totals: z.object({ good_parts: z.number(), reject_parts: z.number(), availability: z.number().nullable() }),
});

export const floorOut = z.array(
  z.object({
    id: z.number(),
    name: z.string(),
    location: z.string(),
    status: z.number(),
    protocol: z.string(),
    latest: readingOut.nullable(),
    good_parts_today: z.number(),
    reject_parts_today: z.number(),
    active_alarms: z.number(),
  }),
);

export const ingestOut = z.object({ stored: z.number() });
export const alarmParams = z.object({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  alarmId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export const ruleParams = z.object({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  ruleId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
