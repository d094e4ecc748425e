// A BullMQ job carried out by a separate `worker` process: the test enqueues the session purge
// from this process and reads its result (the expired rows are gone) from PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { BullQueue } from '../../src/core/queue/bullmq.js';
import { openDatabase, rowsOf } from '../../src/core/db/client.js';
import { createLogger } from '../../src/core/observability/logger.js';
import { sessionPurgeJob, SESSION_PURGE } from '../../src/core/identity/identity.jobs.js';
import type { Identity } from '../../src/core/identity/identity.service.js';
import { eventually, processEnv, realServices, startProcess } from '../process.js';
import { scratchDatabase } from '../databases.js';

const services = realServices()!;
const dbName = `madang_e2e_worker_${process.pid}`;
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

it('runs a job through a separate worker process', async () => {
  const database = await scratchDatabase(services.DATABASE_URL, dbName);
  cleanups.push(() => database.drop());
  const env = processEnv({ DATABASE_URL: database.url, REDIS_URL: services.REDIS_URL });

  // the API process migrates the database; the worker consumes
  const api = await startProcess('serve', env);
  cleanups.push(() => api.stop());
  const db = await openDatabase({ url: env.DATABASE_URL, dataDir: '/tmp', poolMax: 2 });
  cleanups.push(() => db.close());
  const old = randomUUID();
  const live = randomUUID();
  await db.db.execute(sql`insert into core_sessions (id, app, user_id, refresh_jti, expires_at)
    values (${old}, 'auth', 1, 'x', now() - interval '3 days'), (${live}, 'auth', 1, 'y', now() + interval '1 day')`);

  const queue = new BullQueue(services.REDIS_URL, `${env.REDIS_PREFIX}:q`, createLogger('silent'), 1);
  // this process only enqueues: the job's handler never runs here
  queue.register([sessionPurgeJob({} as Identity)]);
  cleanups.push(() => queue.close());
  await queue.enqueue(SESSION_PURGE, { requestedAt: new Date().toISOString() }, { jobId: `e2e-${old}` });

  const worker = await startProcess('worker', env);
  cleanups.push(() => worker.stop());
  await eventually(async () => {
    const rows = rowsOf<{ id: string }>(await db.db.execute(sql`select id from core_sessions where id in (${old}, ${live})`));
    return rows.length === 1 && rows[0]!.id === live;
  }, 30_000);
  // the rows go when the handler commits; BullMQ moves the job out of "active" a moment later
  await eventually(async () => {
    const purge = (await queue.stats()).find((c) => c.name === SESSION_PURGE);
    return purge !== undefined && purge.waiting === 0 && purge.active === 0;
  }, 10_000);
  const counts = await queue.stats();
  expect(counts.find((c) => c.name === SESSION_PURGE)).toMatchObject({ waiting: 0, active: 0, failed: 0 });
});
