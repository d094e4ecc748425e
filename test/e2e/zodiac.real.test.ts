// zodiac on real PostgreSQL + Redis with separate processes: an API that only enqueues, BullMQ
// `worker` processes that analyse (each loading the face model once), progress pushed from the
// worker to a socket held by the API, and a worker SIGKILLed mid-analysis.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { syntheticFace } from '../fixtures/images.js';
import { killHard, poll, statuses, upload, user } from '../fixtures/zodiac-http.js';
import { scratchDatabase } from '../databases.js';
import { eventually, processEnv, realServices, startProcess } from '../process.js';
import { waitingJobs } from '../metrics.js';

const DB = 'madang_e2e_zodiac';
let base: Record<string, string>;
let env: Record<string, string>;
let dbUrl: string;
let database: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
let k = 0;
beforeEach(() => {
  env = { ...base, REDIS_PREFIX: `${base.REDIS_PREFIX}-${++k}` };
});

beforeAll(async () => {
  const real = realServices()!;
  database = await scratchDatabase(real.DATABASE_URL, DB);
  dbUrl = database.url;
  // six photos from one user are queued at once below: above the default per-user limit of 5
  base = processEnv({ DATABASE_URL: dbUrl, REDIS_URL: real.REDIS_URL, MADANG_APPS: 'zodiac', RUN_WORKERS: 'false', UPLOAD_MAX_PENDING_PER_USER: '20', ZODIAC_POLL_WAIT_MS: '200' });
}, 60_000);

afterAll(async () => {
  await database?.drop().catch(() => undefined);
});

describe('zodiac at scale', () => {
  it('the API only enqueues; a separate worker process analyses and pushes progress to the API socket', async () => {
    const api = await startProcess('serve', env);
    const u = await user(api, 'scale1');
    const taskId = await upload(api, u, await syntheticFace());
    // no worker yet: the task waits in Redis, the API answers "notyet"
    await eventually(async () => (await waitingJobs(api.url)) >= 1, 20_000, 100);
    expect(await poll(api, u, taskId)).toMatchObject({ ai_result: 'notyet', status: 'queued' });

    const ws = new WebSocket(`${api.url.replace('http', 'ws')}/ws/zodiac/tasks/${taskId}/?token=${u.token}`);
    const got: Array<Record<string, unknown>> = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (d) => got.push(JSON.parse(String(d)) as Record<string, unknown>));
    await eventually(async () => got.length >= 1, 10_000);

    const worker = await startProcess('worker', env);
    const done = await eventually(async () => {
      const b = await poll(api, u, taskId);
      return b.status === 'done' ? b : undefined;
    }, 60_000, 300);
    const values = Object.values(done.result as Record<string, number>);
    expect(values).toHaveLength(3);
    expect(values.reduce((s, v) => s + v, 0)).toBeLessThanOrEqual(100);
    expect(await closed).toBe(1000);
    expect(got.map((m) => m.status)).toEqual(['queued', 'analyzing', 'done']);
    await worker.stop();
    await api.stop();
  }, 120_000);

  it('a worker SIGKILLed mid-analysis: after a restart every task completes, none is stuck', async () => {
    const api = await startProcess('serve', env);
    const u = await user(api, 'fault1');
    const images = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => syntheticFace(i % 2 ? 'png' : 'jpeg', { eyeGap: 90 + i * 2 })));
    const ids: string[] = [];
    for (const img of images) ids.push(await upload(api, u, img));

    const first = await startProcess('worker', env);
    await eventually(async () => ((await statuses(dbUrl, u.uuid)).running ?? 0) > 0, 60_000, 20);
    killHard(first);
    const afterKill = await statuses(dbUrl, u.uuid);
    expect(afterKill.done ?? 0).toBeLessThan(6);

    const second = await startProcess('worker', env);
    const final = await eventually(async () => {
      const s = await statuses(dbUrl, u.uuid);
      return s.done === 6 ? s : undefined;
    }, 90_000, 500);
    expect(final).toEqual({ done: 6 });
    for (const id of ids) expect(Object.keys((await poll(api, u, id)).result as object)).toHaveLength(3);
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    const rows = await c.query<{ n: number }>(
      'select count(*)::int as n from zodiac_results where user_id = (select id from zodiac_users where uuid = $1)',
      [u.uuid],
    );
    await c.end();
    expect(rows.rows[0]!.n).toBe(18);
    await second.stop();
    await api.stop();
  }, 150_000);
});
