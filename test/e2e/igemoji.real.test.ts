// igemoji on PostgreSQL + Redis with BullMQ: the API process only enqueues (a task stays queued
// while no worker runs); a separate `worker` process loads the face models, composites the photo
// and writes the result, which the API then serves.
import { afterAll, expect, it } from 'vitest';
import { scratchDatabase } from '../databases.js';
import { eventually, processEnv, realServices, startProcess } from '../process.js';
import { waitingJobs } from '../metrics.js';
import { demoPhoto } from '../fixtures/igemoji/helpers.js';

const services = realServices()!;
const dbName = `madang_e2e_igemoji_${process.pid}`;
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> & Array<Record<string, unknown>> }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as never };
}

async function user(base: string, alias: string): Promise<string> {
  const creds = { email: `${alias}@example.com`, password: 'passw0rd!' };
  const json = { 'content-type': 'application/json' };
  expect((await call(`${base}/api/v1/users/`, { method: 'POST', headers: json, body: JSON.stringify({ ...creds, alias }) })).status).toBe(201);
  const login = await call(`${base}/api/v1/users/auth`, { method: 'POST', headers: json, body: JSON.stringify(creds) });
  return login.body.access_token as string;
}

it('composites a photo on a separate BullMQ worker process', async () => {
  const database = await scratchDatabase(services.DATABASE_URL, dbName);
  cleanups.push(() => database.drop());
  const env = processEnv({ DATABASE_URL: database.url, REDIS_URL: services.REDIS_URL, MADANG_APPS: 'igemoji' });
  const api = await startProcess('serve', env);
  cleanups.push(() => api.stop());

  const token = await user(api.url, 'worker1');
  const stranger = await user(api.url, 'worker2');
  const templates = await call(`${api.url}/api/v1/emojis/pages/1`);
  const classic = templates.body.find((e) => e.name === '기본 얼굴')!;
  expect(classic.credit).toMatch(/CC-BY 4\.0/);

  const form = new FormData();
  form.append('emoji_id', String(classic.id));
  form.append('image', new Blob([new Uint8Array(demoPhoto('sample1.jpg'))], { type: 'image/jpeg' }), 'sample1.jpg');
  const submitted = await call(`${api.url}/api/v1/faces/`, { method: 'POST', headers: { authorization: token }, body: form });
  expect(submitted.status).toBe(202);
  const taskId = submitted.body.task_id as string;
  const pollUrl = `${api.url}/api/v1/faces/results/tasks/${taskId}`;

  // no worker yet: the job waits in Redis and the API never runs it itself
  await eventually(async () => (await waitingJobs(api.url)) >= 1, 20_000, 100);
  expect((await call(pollUrl, { headers: { authorization: token } })).body).toMatchObject({ ai_result: 'notyet', status: 'queued' });
  expect((await call(pollUrl, { headers: { authorization: stranger } })).status).toBe(404);

  const worker = await startProcess('worker', env);
  cleanups.push(() => worker.stop());
  const done = await eventually(async () => {
    const r = await call(pollUrl, { headers: { authorization: `Bearer ${token}` } });
    return r.body.ai_result === 'done' ? r.body : undefined;
  }, 90_000, 500);
  expect((done.faces as unknown[]).length).toBeGreaterThanOrEqual(3);
  const image = await fetch(`${api.url}${done.image as string}`);
  expect(image.status).toBe(200);
  expect(image.headers.get('content-type')).toBe('image/jpeg');
  expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
  const top3 = await call(`${api.url}/api/v1/emojis/top3`);
  expect(top3.body).toEqual([expect.objectContaining({ id: classic.id, cnt: 1 })]);
}, 180_000);
