// The only reader of process.env. Everything is validated once at start; a bad variable stops the
// process with one line per problem (ConfigError.message), never a stack trace. Core knows only its
// own variables: each app declares its own schema (AppDefinition.env), handed in by the caller, and
// the variables of every chosen app are checked in the same pass, so one report lists them all.
import { isIP } from 'node:net';
import { z } from 'zod';

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
export const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);
export const num = (def: number, min = 0, max = Number.MAX_VALUE) => z.coerce.number().min(min).max(max).default(def);
export const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
export const optionalUrl = z.string().url().optional();

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(a: string): boolean {
  if (PROXY_NAMES.has(a)) return true;
  const [ip, bits, extra] = a.split('/');
  if (extra !== undefined || !ip || !isIP(ip)) return false;
  if (bits === undefined) return true;
  const max = isIP(ip) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/**
 * Which X-Forwarded-For entries to believe (issue 15 #1): `false`/`0` none (the socket's address is
 * the client), a hop count (`1`: the nearest proxy, e.g. nginx, wrote the rightmost entry; `true`
 * is read as 1), or a comma list of proxy addresses/CIDRs (`loopback`, `10.0.0.0/8`, …). Trusting
 * every hop made the leftmost, client-chosen entry the client.
 */
export const trustProxy = z
  .string()
  .transform((v, ctx): false | number | string[] => {
    const t = v.trim().toLowerCase();
    if (t === 'false' || t === 'no' || t === '0') return false;
    if (t === 'true' || t === 'yes') return 1;
    if (/^\d+$/.test(t)) {
      const n = Number(t);
      if (n <= 10) return n;
    }
    const list = v.split(',').map((x) => x.trim()).filter(Boolean);
    const bad = list.filter((a) => !isProxyAddress(a));
    if (list.length === 0 || bad.length) {
      ctx.addIssue({ code: 'custom', message: `must be false, a hop count 1-10, or proxy addresses/CIDRs (bad: ${bad.join(', ').slice(0, 100) || v})` });
      return z.NEVER;
    }
    return list;
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(8000, 0, 65535),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|pglite:|memory:)/, 'must start with postgres://, pglite: or memory:')
    .optional(),
  DATABASE_POOL_MAX: int(10, 1, 200),
  /** how V8 compiles the embedded database's WebAssembly (src/core/db/pglite-wasm.ts) */
  PGLITE_WASM: z.enum(['baseline', 'optimizing']).default('baseline'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  REDIS_PREFIX: z.string().min(1).max(64).default('madang'),
  /** the apps to serve, by name (all when unset); one app alone is mounted at '/' */
  MADANG_APPS: list.pipe(z.array(z.string()).min(1)).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL: int(1800, 10, 86400 * 7),
  REFRESH_TOKEN_TTL: int(86400, 60, 86400 * 90),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_DIR: z.string().min(1).optional(),
  LOG_MAX_BYTES: int(10 * 1024 * 1024, 1024),
  CORS_ORIGINS: list.default(['*']),
  TRUST_PROXY: trustProxy.default(false),
  BODY_LIMIT: int(1024 * 1024, 1024, 50 * 1024 * 1024),
  UPLOAD_LIMIT: int(10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_ENDPOINT: optionalUrl,
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),
  RATE_LIMIT_ENABLED: bool.default(true),
  RATE_LIMIT_MAX: int(3000, 1),
  RATE_LIMIT_AUTH_MAX: int(30, 1),
  RATE_LIMIT_WINDOW_MS: int(60_000, 1000),
  // per-account login limits and look-up limits (docs/security.md)
  LOGIN_FREE_ATTEMPTS: int(5, 1, 1000),
  LOGIN_BACKOFF_BASE_MS: int(1000, 1, 3_600_000),
  LOGIN_BACKOFF_MAX_MS: int(900_000, 1, 86_400_000),
  LOGIN_ACCOUNT_MAX: int(50, 1, 1_000_000),
  LOGIN_ACCOUNT_WINDOW_MS: int(900_000, 1000, 86_400_000),
  RATE_LIMIT_LOOKUP_MAX: int(10, 1, 1_000_000),
  // slow clients (issue 15 #9): time to send the headers / the whole request, and open
  // connections one client address may hold (0: no cap, e.g. behind nginx, which caps per client)
  HEADERS_TIMEOUT_MS: int(10_000, 500, 300_000),
  /** when set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (issue 15 #10) */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // WebSocket limits per user (issue 15 #6): open sockets per app, messages per window
  WS_MAX_SOCKETS_PER_USER: int(10, 1, 10_000),
  WS_MESSAGES_PER_USER: int(30, 1, 1_000_000),
  WS_MESSAGE_WINDOW_MS: int(10_000, 100, 3_600_000),
  REQUEST_TIMEOUT_MS: int(60_000, 1000, 3_600_000),
  CONNECTIONS_PER_IP: int(100, 0, 1_000_000),
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: int(1000, 0),
  OVERLOAD_MAX_ELU: num(0, 0, 1),
  SHUTDOWN_GRACE_MS: int(25_000, 0, 600_000),
  RUN_WORKERS: bool.optional(),
  QUEUE_CONCURRENCY: int(4, 1, 256),
  // seed-demo
  DEMO_PASSWORD: z.string().min(8).optional(),
});

export type CoreConfig = Readonly<z.infer<typeof schema>>;

export type Config = CoreConfig & {
  /** true when the in-process runner (not a separate worker) should execute jobs */
  readonly runWorkersInProcess: boolean;
  /** the chosen apps, in order (every known app when MADANG_APPS is unset) */
  readonly appNames: readonly string[];
  /** each chosen app's own validated settings, by app name */
  readonly apps: Readonly<Record<string, unknown>>;
};

/** an app's own environment variables (a zod object over variable names) */
export type EnvSchema = z.ZodObject;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.map((p) => `config: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function parse<S extends z.ZodObject>(s: S, env: Env, problems: string[]): z.infer<S> | undefined {
  const clean: Record<string, string> = {};
  for (const key of Object.keys(s.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') clean[key] = v;
  }
  const parsed = s.safeParse(clean);
  if (parsed.success) return parsed.data;
  for (const i of parsed.error.issues) problems.push(`${i.path.join('.') || '(env)'}: ${i.message}`);
  return undefined;
}

/**
 * Reads and validates configuration. `env` defaults to process.env; tests pass their own.
 * `apps` maps every app this build knows to its own variables (undefined: it reads none).
 */
export function loadConfig(env: Env = process.env, apps: Record<string, EnvSchema | undefined> = {}): Config {
  const problems: string[] = [];
  const c = parse(schema, env, problems);
  if (c?.NODE_ENV === 'production' && !c.JWT_SECRET) problems.push('JWT_SECRET: required when NODE_ENV=production');
  if (c?.STORAGE_DRIVER === 's3' && !c.S3_BUCKET) problems.push('S3_BUCKET: required when STORAGE_DRIVER=s3');
  const known = Object.keys(apps);
  // read on its own, so a bad core variable does not hide the apps' problems
  const chosen = schema.shape.MADANG_APPS.safeParse(env.MADANG_APPS || undefined);
  const asked = (chosen.success ? chosen.data : undefined) ?? known;
  for (const n of asked) if (!known.includes(n)) problems.push(`MADANG_APPS: app "${n}" is not available in this build`);
  const appNames = [...new Set(asked.filter((n) => known.includes(n)))];
  const settings: Record<string, unknown> = {};
  for (const name of appNames) {
    const s = apps[name];
    settings[name] = Object.freeze(s ? (parse(s, env, problems) ?? {}) : {});
  }
  if (problems.length || !c) throw new ConfigError(problems);
  const runWorkersInProcess = c.RUN_WORKERS ?? !c.REDIS_URL;
  return Object.freeze({ ...c, runWorkersInProcess, appNames: Object.freeze(appNames), apps: Object.freeze(settings) });
}
