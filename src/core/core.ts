// What the composition root hands to every app, and what every app hands back.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { AppName, Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { ErrorDecorator } from './http/errors.js';
import type { Catalogue } from './i18n/messages.js';
import type { Identity } from './identity/identity.service.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { JobDefinition, JobQueue } from './queue/queue.js';
import type { RealtimeHub } from './realtime/hub.js';
import type { PubSub } from './realtime/pubsub.js';
import type { BlobStore } from './storage/storage.js';
import type { FaceAnalyzer } from './vision/face-analyzer.js';

export interface Core {
  config: Config;
  database: Database;
  db: Db;
  identity: Identity;
  queue: JobQueue;
  pubsub: PubSub;
  hub: RealtimeHub;
  storage: BlobStore;
  logger: Logger;
  metrics: Metrics;
  /** a shared Redis client when REDIS_URL is set (rate limits, caches) */
  redis?: Redis;
  /** the face analyzer, built by the container when a selected app needs one (threads start on first use) */
  analyzer?: FaceAnalyzer;
}

export interface AppModule {
  name: AppName;
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

export type AppFactory = (core: Core) => AppModule;
export type Server = FastifyInstance;
