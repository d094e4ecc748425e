// The only reader of process.env. Everything is validated once at start; a bad variable stops the
// process with one line per problem (ConfigError.message), never a stack trace.
import { z } from 'zod';

export const ALL_APPS = ['auth', 'machines', 'mealbuddy', 'zodiac', 'igemoji'] as const;
export type AppName = (typeof ALL_APPS)[number];

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);
const num = (def: number, min = 0, max = Number.MAX_VALUE) => z.coerce.number().min(min).max(max).default(def);
const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const optionalUrl = z.string().url().optional();

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
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  REDIS_PREFIX: z.string().min(1).max(64).default('madang'),
  MADANG_APPS: list.pipe(z.array(z.enum(ALL_APPS)).min(1)).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL: int(1800, 10, 86400 * 7),
  REFRESH_TOKEN_TTL: int(86400, 60, 86400 * 90),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_DIR: z.string().min(1).optional(),
  LOG_MAX_BYTES: int(10 * 1024 * 1024, 1024),
  CORS_ORIGINS: list.default(['*']),
  TRUST_PROXY: bool.default(false),
  BODY_LIMIT: int(1024 * 1024, 1024, 50 * 1024 * 1024),
  UPLOAD_LIMIT: int(10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  /** photo analyses one user may have queued or running at once (zodiac, igemoji); more answer 429 */
  UPLOAD_MAX_PENDING_PER_USER: int(5, 1, 100),
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
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: int(1000, 0),
  OVERLOAD_MAX_ELU: num(0, 0, 1),
  SHUTDOWN_GRACE_MS: int(25_000, 0, 600_000),
  RUN_WORKERS: bool.optional(),
  QUEUE_CONCURRENCY: int(4, 1, 256),
  // machines
  MACHINE_DRIVER: z.enum(['simulator', 'http']).default('simulator'),
  MACHINE_SIM_LATENCY_MS: int(10_000, 0, 600_000),
  MACHINE_SIM_FAILURE_RATE: num(0, 0, 1),
  MACHINE_HTTP_ALLOWLIST: list.default([]),
  MACHINE_HTTP_TIMEOUT_MS: int(15_000, 100, 120_000),
  // mealbuddy
  KMA_SERVICE_KEY: z.string().min(1).optional(),
  KMA_BASE_URL: z
    .string()
    .url()
    .default('https://apis.data.go.kr/1360000/VilageFcstInfoService_2.0'),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  // seed-demo
  DEMO_PASSWORD: z.string().min(8).optional(),
});

export type Config = Readonly<z.infer<typeof schema>> & {
  /** true when the in-process runner (not a separate worker) should execute jobs */
  readonly runWorkersInProcess: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.map((p) => `config: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Reads and validates configuration. `env` defaults to process.env; tests pass their own. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const clean: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') clean[key] = v;
  }
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && !c.JWT_SECRET) {
    throw new ConfigError(['JWT_SECRET: required when NODE_ENV=production']);
  }
  if (c.STORAGE_DRIVER === 's3' && !c.S3_BUCKET) {
    throw new ConfigError(['S3_BUCKET: required when STORAGE_DRIVER=s3']);
  }
  const runWorkersInProcess = c.RUN_WORKERS ?? !c.REDIS_URL;
  return Object.freeze({ ...c, runWorkersInProcess });
}
