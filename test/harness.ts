// build-test-app: the real app (all core plugins, chosen apps) on this file's shared database,
// with Redis/BullMQ when REDIS_URL is set. Tables are truncated before each build.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadSettings, type AppName } from '../src/apps/registry.js';
import { createContainer, type Container, type ContainerOverrides } from '../src/container.js';
import type { Database } from '../src/core/db/client.js';
import type { FaceAnalyzer } from '../src/core/vision/face-analyzer.js';
import { ThreadPoolAnalyzer } from '../src/core/vision/pool.js';
import type { Logger } from '../src/core/observability/logger.js';
import { openTestDatabase } from './databases.js';

import { inProcessEnv, TEST_SECRET } from './spawn.js';

export { TEST_SECRET };

let shared: Promise<Database> | undefined;
let model: ThreadPoolAnalyzer | undefined;
const open: TestApp[] = [];
let counter = 0;

afterAll(async () => {
  for (const t of open.splice(0)) await t.close();
  if (shared) await (await shared).close();
  shared = undefined;
  await model?.close();
  model = undefined;
});

/**
 * The real face model, one thread pool per test file (its thread loads the model on the first
 * analysis, once for every app the file builds). Tests that do not need the model pass a
 * FakeAnalyzer (test/fakes/fake-analyzer.ts) instead.
 */
export function realAnalyzer(): ThreadPoolAnalyzer {
  model ??= new ThreadPoolAnalyzer(1);
  return model;
}

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  close(): Promise<void>;
}

export interface TestAppOptions {
  apps?: AppName[];
  env?: Record<string, string>;
  /** start job workers in this process (default true) */
  workers?: boolean;
  /** keep existing rows (default: truncate every table first) */
  keepData?: boolean;
  /** the face analyzer zodiac and igemoji get (default: the real model, realAnalyzer()) */
  analyzer?: FaceAnalyzer;
  /** app definitions used instead of the registry's (e.g. machines with a fake driver) */
  definitions?: ContainerOverrides['apps'];
  /** a logger of the test's own (to read what the server logs) */
  logger?: Logger;
}

export function testDatabase(): Promise<Database> {
  shared ??= openTestDatabase(inject('templateDump'), inject('testRun'));
  return shared;
}

export async function resetDatabase(db: Database): Promise<void> {
  const rows = await db.db.execute(
    sql`select tablename from pg_tables where schemaname = 'public' and tablename not like '__migrations_%'`,
  );
  const names = ((rows as unknown as { rows: Array<{ tablename: string }> }).rows ?? []).map((r) => `"${r.tablename}"`);
  if (names.length) await db.db.execute(sql.raw(`truncate ${names.join(', ')} restart identity cascade`));
}

export async function buildTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const database = await testDatabase();
  if (!opts.keepData) await resetDatabase(database);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'madang-test-'));
  const env: Record<string, string> = {
    ...inProcessEnv(dataDir),
    REDIS_PREFIX: `madang-test-${process.env.VITEST_POOL_ID ?? 0}-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}`,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...(opts.apps ? { MADANG_APPS: opts.apps.join(',') } : {}),
    ...opts.env,
  };
  const config = loadSettings(env);
  const vision = !opts.apps || opts.apps.some((a) => a === 'zodiac' || a === 'igemoji');
  const analyzer = opts.analyzer ?? (vision ? realAnalyzer() : undefined);
  const container = await createContainer(config, { database, skipMigrations: true, analyzer, apps: opts.definitions, logger: opts.logger });
  const app = await buildApp(container);
  await app.ready();
  if (opts.workers !== false) await container.core.queue.startWorkers();
  let closed = false;
  const t: TestApp = {
    app,
    container,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await container.close();
    },
  };
  open.push(t);
  return t;
}

/** JSON body of an inject response */
export function json<T = Record<string, unknown>>(res: { body: string }): T {
  return JSON.parse(res.body) as T;
}
