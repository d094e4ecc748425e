// Composition root: turns a Config into live adapters (database, queue, pub/sub, storage, identity)
// and the chosen apps. Tests call createContainer with their own config and overrides.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadApp } from './apps/registry.js';
import type { Config } from './core/config.js';
import { contextFor, systemClock, type AppDefinition, type AppModule, type Clock, type Core, type Platform } from './core/core.js';
import { openDatabase, type Database } from './core/db/client.js';
import { lockDataDir } from './core/db/data-dir-lock.js';
import { makePrivate } from './core/private-files.js';
import { migrateAll } from './core/db/migrate.js';
import { registerMessages } from './core/i18n/messages.js';
import { sessionPurgeJob } from './core/identity/identity.jobs.js';
import { strictLimit } from './core/http/rate-limit.js';
import { MemoryCounters, RedisCounters, type Counters } from './core/limits/counters.js';
import { LoginThrottle, LookupLimit } from './core/limits/logins.js';
import { SocketLimits } from './core/limits/sockets.js';
import { Identity } from './core/identity/identity.service.js';
import { createLogger, type Logger } from './core/observability/logger.js';
import { Metrics } from './core/observability/metrics.js';
import { InProcessQueue } from './core/queue/inprocess.js';
import type { JobDefinition, JobQueue } from './core/queue/queue.js';
import { RealtimeHub } from './core/realtime/hub.js';
import { MemoryPubSub, RedisPubSub, type PubSub } from './core/realtime/pubsub.js';
import { LocalDiskStore, type BlobStore } from './core/storage/storage.js';
import type { FaceAnalyzer } from './core/vision/face-analyzer.js';
import { ThreadPoolAnalyzer } from './core/vision/pool.js';

/** an app as built, with the prefix it is served under */
export type MountedApp = AppModule & { prefix: string };

export interface Container {
  core: Core;
  apps: MountedApp[];
  /** one app chosen alone by MADANG_APPS is served at '/', otherwise each under /<name> */
  mountAtRoot: boolean;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  database?: Database;
  logger?: Logger;
  /** skip migrations (the database was migrated already, e.g. a test template) */
  skipMigrations?: boolean;
  clock?: Clock;
  /** the face analyzer instead of the model's thread pool (the caller closes it) */
  analyzer?: FaceAnalyzer;
  /** app definitions used instead of the registry's, by name (tests: an app with a fake adapter) */
  apps?: Record<string, AppDefinition>;
}

export const CORE_MIGRATIONS = ['core'];
/** analysis threads per process: one per job slot would oversubscribe a small machine */
const VISION_THREADS = 1;

export async function createContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL, config.LOG_DIR, config.LOG_MAX_BYTES);
  // private: new files through the umask (main.ts) and the stores' modes, old ones fixed here
  makePrivate(config.DATA_DIR);
  // only the chosen apps' code is imported
  const defs = await Promise.all(config.appNames.map(async (name) => overrides.apps?.[name] ?? (await loadApp(name))!));
  const analyses = defs.some((d) => d.uses.includes('analyzer'));
  // an embedded database on disk has one owner process (docs/architecture.md "Embedded database")
  const unlock = !overrides.database && embeddedOnDisk(config.DATABASE_URL) ? lockDataDir(config.DATA_DIR) : undefined;
  let database: Database;
  try {
    database =
      overrides.database ??
      (await openDatabase({
        url: config.DATABASE_URL,
        dataDir: config.DATA_DIR,
        poolMax: config.DATABASE_POOL_MAX,
        // face analysis compiles WebAssembly of its own in this process
        wasm: { tier: config.PGLITE_WASM, sharedProcess: analyses },
      }));
  } catch (err) {
    unlock?.();
    throw err;
  }
  // Redis, BullMQ and the S3 client are imported only when configured (about 45 MB of RSS that
  // the embedded default does not need)
  const redis = config.REDIS_URL
    ? new (await import('ioredis')).Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true })
    : undefined;
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  const queue: JobQueue = config.REDIS_URL
    ? new (await import('./core/queue/bullmq.js')).BullQueue(config.REDIS_URL, `${config.REDIS_PREFIX}:q`, logger, config.QUEUE_CONCURRENCY)
    : new InProcessQueue(logger, config.QUEUE_CONCURRENCY);
  const pubsub: PubSub = config.REDIS_URL ? new RedisPubSub(config.REDIS_URL, config.REDIS_PREFIX, logger) : new MemoryPubSub();
  const hub = new RealtimeHub(pubsub);
  const metrics = new Metrics(() => queue, () => hub);
  // built only when a chosen app analyses faces; its threads start (and load the model) on the
  // first analysis, so an API whose analyses run on BullMQ workers never loads it
  const ownAnalyzer =
    !overrides.analyzer && analyses ? new ThreadPoolAnalyzer(VISION_THREADS) : undefined;
  const analyzer = overrides.analyzer ?? ownAnalyzer;
  const identity = new Identity(database.db, {
    secret: jwtSecret(config),
    accessTtl: config.ACCESS_TOKEN_TTL,
    refreshTtl: config.REFRESH_TOKEN_TTL,
  }, pubsub, metrics.registry);
  const core: Core = {
    config,
    database,
    db: database.db,
    identity,
    queue,
    pubsub,
    hub,
    storage: await blobStore(config),
    logger,
    metrics,
    redis,
    analyzer,
  };

  const mountAtRoot = config.appNames.length === 1;
  const counters: Counters = redis ? new RedisCounters(redis, `${config.REDIS_PREFIX}:lim:`, logger) : new MemoryCounters();
  const http = {
    strictLimit: strictLimit(config),
    counters,
    limitsEnabled: config.RATE_LIMIT_ENABLED,
    logins: new LoginThrottle(counters, {
      enabled: config.RATE_LIMIT_ENABLED,
      freeAttempts: config.LOGIN_FREE_ATTEMPTS,
      backoffBaseMs: config.LOGIN_BACKOFF_BASE_MS,
      backoffMaxMs: config.LOGIN_BACKOFF_MAX_MS,
      accountMax: config.LOGIN_ACCOUNT_MAX,
      accountWindowMs: config.LOGIN_ACCOUNT_WINDOW_MS,
    }),
    sockets: new SocketLimits(counters, {
      enabled: config.RATE_LIMIT_ENABLED,
      maxPerUser: config.WS_MAX_SOCKETS_PER_USER,
      messages: config.WS_MESSAGES_PER_USER,
      windowMs: config.WS_MESSAGE_WINDOW_MS,
    }),
    lookups: new LookupLimit(counters, config.RATE_LIMIT_ENABLED, config.RATE_LIMIT_LOOKUP_MAX, config.RATE_LIMIT_WINDOW_MS),
    allowedOrigins: config.CORS_ORIGINS.includes('*') ? undefined : new Set(config.CORS_ORIGINS),
  };
  const logFiles = { dir: config.LOG_DIR, maxBytes: config.LOG_MAX_BYTES, level: config.LOG_LEVEL };
  const platformOf = (name: string): Platform => ({
    db: database.db,
    database,
    identity,
    queue,
    pubsub,
    hub,
    storage: core.storage.scoped(name),
    logger: logger.child({ app: name }),
    metrics: metrics.registry,
    clock: overrides.clock ?? systemClock,
    http,
    logFiles,
    get analyzer(): FaceAnalyzer {
      if (!analyzer) throw new Error(`${name} uses the face analyzer but none was built`);
      return analyzer;
    },
  });
  const apps: MountedApp[] = defs.map((def) => {
    const prefix = mountAtRoot ? '' : `/${def.name}`;
    return { ...def.create(contextFor(def, platformOf(def.name), prefix, config.apps[def.name])), prefix };
  });
  for (const a of apps) if (a.messages) registerMessages(a.messages, a.name);
  const coreJobs = [sessionPurgeJob(identity)];
  queue.register([...coreJobs, ...apps.flatMap((a) => a.jobs)].map((j) => instrument(j, metrics)));

  if (!overrides.skipMigrations) {
    await migrateAll(database, [...CORE_MIGRATIONS, ...apps.flatMap((a) => a.migrations)]);
  }

  return {
    core,
    apps,
    mountAtRoot,
    async close() {
      hub.close();
      await queue.close().catch(() => undefined);
      await pubsub.close().catch(() => undefined);
      await redis?.quit().catch(() => redis.disconnect());
      await ownAnalyzer?.close();
      if (!overrides.database) await database.close();
      unlock?.();
    },
  };
}

/** PGlite on disk (the default): not a postgres:// URL and not the in-memory database */
function embeddedOnDisk(url: string | undefined): boolean {
  if (url && /^postgres(ql)?:\/\//.test(url)) return false;
  return url !== 'memory:' && url !== 'pglite:memory';
}

/** uploads on local disk (one machine), or an S3-compatible bucket shared by every instance */
async function blobStore(config: Config): Promise<BlobStore> {
  if (config.STORAGE_DRIVER === 'local') return new LocalDiskStore(path.join(config.DATA_DIR, 'uploads'));
  const { S3Store } = await import('./core/storage/s3.js');
  return S3Store.create({
    bucket: config.S3_BUCKET!,
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}

function instrument(def: JobDefinition, metrics: Metrics): JobDefinition {
  return {
    ...def,
    async handle(payload, ctx) {
      const end = metrics.jobDuration.startTimer({ job: def.name });
      try {
        await def.handle(payload, ctx);
        metrics.jobsTotal.inc({ job: def.name, status: 'completed' });
      } catch (err) {
        metrics.jobsTotal.inc({ job: def.name, status: 'failed' });
        throw err;
      } finally {
        end();
      }
    },
  };
}

/** JWT_SECRET, or (embedded quick start) a random secret kept under DATA_DIR across restarts. */
function jwtSecret(config: Config): string {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  const file = path.join(config.DATA_DIR, '.jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
