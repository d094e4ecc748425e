// What the composition root can hand to an app, and what an app hands back. An app names the
// parts it uses (AppDefinition.uses) and receives only those, with its own validated settings and
// its mount prefix, so a test can build it from exactly those parts (fakes included).
import type { FastifyContextConfig, FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { Config, EnvSchema } from './config.js';
import type { Database, Db } from './db/client.js';
import type { ErrorDecorator } from './http/errors.js';
import type { Catalogue } from './i18n/messages.js';
import type { Identity } from './identity/identity.service.js';
import type { Counters } from './limits/counters.js';
import type { LoginThrottle, LookupLimit } from './limits/logins.js';
import type { SocketLimits } from './limits/sockets.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { JobDefinition, JobQueue } from './queue/queue.js';
import type { RealtimeHub } from './realtime/hub.js';
import type { PubSub } from './realtime/pubsub.js';
import type { BlobStore } from './storage/storage.js';
import type { FaceAnalyzer } from './vision/face-analyzer.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** HTTP rules an app applies to some of its routes, set once for the whole server */
export interface HttpPolicy {
  /** route config for credential endpoints (login, sign-up, refresh): the stricter rate limit */
  strictLimit: FastifyContextConfig;
  /** per-account login limits: wrap every login route's credential check in logins.attempt() */
  logins: LoginThrottle;
  /** the tight limit on duplicate-check look-ups (does this username/e-mail exist?) */
  lookups: LookupLimit;
  /** WebSocket sockets and messages per user */
  sockets: SocketLimits;
  /** expiring counters (Redis-backed with REDIS_URL) for an app's own limits */
  counters: Counters;
  /** RATE_LIMIT_ENABLED: whether apps apply their own limits */
  limitsEnabled: boolean;
  /** browser origins allowed to open WebSockets; undefined = any (CORS_ORIGINS=*) */
  allowedOrigins?: ReadonlySet<string>;
}

/** where an app may write its own log streams (LOG_DIR), rotated at maxBytes */
export interface LogFiles {
  dir?: string;
  maxBytes: number;
  level: string;
}

/** every part the container builds; an app receives the ones it lists in `uses` */
export interface Platform {
  db: Db;
  /** the database adapter itself: ping, LISTEN/NOTIFY */
  database: Database;
  identity: Identity;
  queue: JobQueue;
  pubsub: PubSub;
  hub: RealtimeHub;
  /** the app's own folder of the blob store */
  storage: BlobStore;
  /** bound to { app: <name> } */
  logger: Logger;
  /** the process's Prometheus registry, for the app's own metrics */
  metrics: Registry;
  clock: Clock;
  http: HttpPolicy;
  logFiles: LogFiles;
  /** face detection, landmarks and expressions (threads start on first use) */
  analyzer: FaceAnalyzer;
}

export type PlatformPart = keyof Platform;

export type AppContext<K extends PlatformPart, C> = Pick<Platform, K> & {
  name: string;
  /** '' when the app is served alone at '/', otherwise '/<name>'; URLs the app builds start with it */
  prefix: string;
  config: C;
};

export interface AppModule {
  name: string;
  /** drizzle/<folder> migration folders this app owns, applied in order */
  migrations: string[];
  /** registered under the app's prefix ('' when mounted alone) */
  routes: FastifyPluginAsync;
  jobs: JobDefinition[];
  messages?: Catalogue;
  errorDecorator?: ErrorDecorator;
  /** tables this app owns (tests truncate them between cases) */
  tables: string[];
  /** creates demo rows for `seed-demo`; returns a one-line summary */
  seedDemo?(password: string): Promise<string>;
}

/** an app as the container sees it; write one with defineApp */
export interface AppDefinition {
  name: string;
  /** the app's own environment variables, validated at start together with the core's */
  env?: EnvSchema;
  /** the parts of the platform the app uses: it receives these and nothing else */
  uses: readonly PlatformPart[];
  create(ctx: AppContext<PlatformPart, unknown>): AppModule;
}

type SettingsOf<S> = S extends EnvSchema ? Readonly<z.infer<S>> : Record<string, never>;

/** Declares an app: `uses` narrows what it receives, `env` types the settings it receives. */
export function defineApp<K extends PlatformPart, S extends EnvSchema | undefined = undefined>(def: {
  name: string;
  env?: S;
  uses: readonly K[];
  create(ctx: AppContext<K, SettingsOf<S>>): AppModule;
}): AppDefinition {
  // the container builds ctx by contextFor from the same `uses` and the settings parsed with `env`
  return def as unknown as AppDefinition;
}

/** The narrowed context of one app: only the parts it uses, its prefix and its settings. */
export function contextFor(def: AppDefinition, platform: Platform, prefix: string, config: unknown): AppContext<PlatformPart, unknown> {
  const ctx: Record<string, unknown> = { name: def.name, prefix, config };
  for (const k of def.uses) ctx[k] = platform[k];
  return ctx as AppContext<PlatformPart, unknown>;
}

/**
 * The core's own services (server, health, CLI); apps never receive this. Unlike an app's parts,
 * its storage is the whole store and its logger is not bound to an app.
 */
export interface Core extends Pick<Platform, 'db' | 'database' | 'identity' | 'queue' | 'pubsub' | 'hub' | 'storage' | 'logger'> {
  config: Config;
  metrics: Metrics;
  /** a shared Redis client when REDIS_URL is set (rate limits, caches) */
  redis?: Redis;
  /** the face analyzer, built by the container when a selected app needs one (threads start on first use) */
  analyzer?: FaceAnalyzer;
}

export type Server = FastifyInstance;
