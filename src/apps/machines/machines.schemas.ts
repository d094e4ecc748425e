// Request and reply schemas (the OpenAPI source). Bodies arrive as JSON, urlencoded or multipart,
// so numbers may come as strings; privilege flags and owner ids are not part of any input.
import { z } from 'zod';
import { parseIsoDateTime } from '../../core/dates.js';
import { text } from '../../core/http/schemas.js';
import { usernameField } from '../../core/identity/username.js';
import { MAX_PASSWORD_LENGTH } from '../../core/identity/password.js';

export const MACHINE_STATUS = { POWEROFF: 0, READY: 1, RUNNING: 2, PENDING: 3, ERROR: 4 } as const;
export const OPERATION_RESULT = {
  SUCCESS: 1,
  REMOTEFAILED: 2,
  INTERNALFAILED: 3,
  PENDING: 4,
  PERMISSIONDENIED: 5,
  IGNORE: 6,
  INVALIDCOMMAND: 7,
} as const;
export const COMMANDS = ['START', 'STOP'] as const;
export type Command = (typeof COMMANDS)[number];

const digits = (v: unknown) => (typeof v === 'string' && /^\s*-?\d{1,9}\s*$/.test(v) ? Number(v) : v);
const choice = (v: unknown) => `choice:${String(v).slice(0, 100)}`;

/** 0–4, as a number or a numeric string; anything else is DRF's "invalid choice" */
export const statusField = z.unknown().transform((v, ctx) => {
  const n = digits(v);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 4) {
    ctx.addIssue({ code: 'custom', message: choice(v) });
    return z.NEVER;
  }
  return n;
});

/** http(s) only, no credentials in the URL: the HTTP driver's target, checked again at run time */
export const endpointField = z
  .string()
  .trim()
  .max(512)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'MACHINE_INVALID_URL')
  .nullable()
  .transform((s) => (s === '' ? null : s));

export const machineBody = z.object({
  name: text(64),
  location: text(256),
  status: statusField.optional(),
  endpoint_url: endpointField.optional(),
});
export type MachineInput = z.infer<typeof machineBody>;

export const signUpBody = z.object({
  username: usernameField(150), // one rule for every app (core/identity/username.ts)
  password: z.string().min(8).max(MAX_PASSWORD_LENGTH),
  email: z.string().trim().max(254).pipe(z.email({ error: 'MACHINE_INVALID_EMAIL' })),
  first_name: z.string().trim().max(30).optional(),
  last_name: z.string().trim().max(150).optional(),
});
export type SignUpInput = z.infer<typeof signUpBody>;

export const logInBody = z.object({ username: text(150), password: z.string().min(1).max(MAX_PASSWORD_LENGTH) });
export const refreshBody = z.object({ refresh: z.string().max(4096).optional() }).nullish();

// a real calendar instant only: 2024-02-30 was read as 2024-03-01 (issue 15 #10)
const isoDate = z.string().max(40).refine((s) => parseIsoDateTime(s) !== null, 'MACHINE_INVALID_DATETIME');
export const pageQuery = z.object({
  page: z.string().max(12).optional(),
  page_size: z.string().max(12).optional(),
});
export const historyQuery = pageQuery.extend({
  command: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.enum(COMMANDS))
    .optional(),
  result: z
    .string()
    .transform(digits)
    .pipe(z.number().int().min(1).max(7))
    .optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** issued (default, the original's filter on `worker`) or owned (runs on the caller's machines) */
  scope: z.enum(['issued', 'owned']).optional(),
});
export type HistoryQuery = z.infer<typeof historyQuery>;

export const idParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
export const runParams = idParams.extend({ runId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
/** the operation body is checked by the service, after 404 and before 403 (issue order) */
export const operationBody = z.looseObject({ command: z.unknown().optional() }).nullish();
/** PUT is validated by the service too: 404, then 403, then 400 (docs/apps/machines.md §3.8) */
export const updateBody = z.looseObject({}).nullish();

export const userOut = z.object({
  id: z.number(),
  last_login: z.string().nullable(),
  username: z.string(),
  email: z.string(),
  is_staff: z.boolean(),
  is_active: z.boolean(),
  is_superuser: z.boolean(),
  first_name: z.string(),
  last_name: z.string(),
  date_joined: z.string(),
  groups: z.array(z.never()),
  user_permissions: z.array(z.never()),
});
export const machineOut = z.object({
  id: z.number(),
  name: z.string(),
  location: z.string(),
  status: z.number(),
  owner_id: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  endpoint_url: z.string().nullable(),
});
export const runOut = z.object({
  id: z.number(),
  request_datetime: z.string(),
  command: z.string(),
  worker: z.number(),
  machine_id: z.number(),
  result: z.number().nullable(),
  machine_owner_id: z.number(),
  created_at: z.string(),
  state: z.string(),
  reason: z.string().nullable(),
  status_after: z.number().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  attempts: z.number(),
});

export const envelope = <T extends z.ZodType>(result: T) => z.object({ status: z.literal(1), result });
export const tokenPair = z.object({ access: z.string(), refresh: z.string() });
export const authReply = envelope(z.object({ user: userOut, token: tokenPair }));
export const messageReply = envelope(z.object({ message: z.string() }));
export const operationReply = envelope(
  z.object({ command: z.string(), message: z.string(), run_id: z.number(), run: runOut }),
);
