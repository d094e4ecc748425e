// mealbuddy on real PostgreSQL + Redis with two API processes: a member connected to instance A
// receives a message sent through instance B, joins and leaves made over HTTP on one instance reach
// sockets on the other, a post deleted on A closes B's sockets with 4040, and pages A answers from
// its cache (hits in its /metrics) follow writes made through B or straight in the database.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../databases.js';
import { readUntilHit } from '../metrics.js';
import { eventually, processEnv, realServices, startProcess, type Proc } from '../process.js';
import { ADDRESS, PASSWORD } from './mealbuddy-helpers.js';
import { connectChat, type Client } from './mealbuddy-ws.js';

const DB = 'madang_e2e_mealbuddy';
let dbUrl: string;
let database: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
let a: Proc;
let b: Proc;
const clients: Client[] = [];

beforeAll(async () => {
  const real = realServices()!;
  database = await scratchDatabase(real.DATABASE_URL, DB);
  dbUrl = database.url;
  const env = processEnv({ DATABASE_URL: dbUrl, REDIS_URL: real.REDIS_URL, MADANG_APPS: 'mealbuddy' });
  a = await startProcess('serve', env);
  b = await startProcess('serve', env);
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop().catch(() => undefined);
});

async function call<T>(base: string, method: string, path: string, token?: string, payload?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Token ${token}` } : {}), ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { body: JSON.stringify(payload) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function register(base: string, username: string): Promise<{ id: number; token: string }> {
  const res = await call<{ user: { id: number; token: string } }>(base, 'POST', '/api/user/register/', undefined, {
    email: `${username}@example.com`, username, password: PASSWORD, password2: PASSWORD, address: ADDRESS,
  });
  expect(res.status).toBe(201);
  return res.body.user;
}

function open(base: string, room: number, token: string): Client {
  const c = connectChat(base, room, token);
  clients.push(c);
  return c;
}

/** a socket is subscribed once its own message comes back to it */
async function settled(c: Client, text: string): Promise<void> {
  c.send({ message: text });
  await c.next((f) => f.type === 'chat.message' && f.message?.message === text, 10_000);
}

describe('two API instances on one PostgreSQL + Redis', () => {
  it('a message sent through B reaches a member connected to A; joins/leaves cross too; delete on A closes B with 4040', async () => {
    const alice = await register(a.url, 'alice');
    const bob = await register(b.url, 'bob');
    const post = await call<{ id: number; chat_id: number }>(a.url, 'POST', '/api/post/write/', alice.token, { title: '같이 시켜요', category: '치킨', content: '두 마리', target_number: 4 });
    expect(post.status).toBe(201);
    expect((await call(b.url, 'POST', `/api/chat/${post.body.chat_id}/`, bob.token)).status).toBe(200);

    const onA = open(a.url, post.body.chat_id, alice.token);
    const onB = open(b.url, post.body.chat_id, bob.token);
    await settled(onA, 'alice ready');
    await settled(onB, 'bob ready');

    onB.send({ message: 'B에서 보낸 메시지' });
    const got = await onA.next((f) => f.type === 'chat.message' && f.message?.message === 'B에서 보낸 메시지', 10_000);
    expect(got.message!.user).toMatchObject({ id: bob.id, username: 'bob' });

    const carol = await register(b.url, 'carol');
    expect((await call(b.url, 'POST', `/api/chat/${post.body.chat_id}/`, carol.token)).status).toBe(200);
    expect((await onA.next((f) => f.type === 'chat.user.join', 10_000)).user_id).toBe(carol.id);

    // a ban made on A ejects bob's socket held by B
    expect((await call(a.url, 'POST', `/api/chat/${post.body.chat_id}/user/ban/`, alice.token, { target_user_id: bob.id })).status).toBe(200);
    expect((await onB.next((f) => f.type === 'chat.user.leave', 10_000)).user_id).toBe(bob.id);
    expect((await onB.closed).code).toBe(4403);

    const onB2 = open(b.url, post.body.chat_id, carol.token);
    await settled(onB2, 'carol ready');
    expect((await call(a.url, 'POST', `/api/post/detail/${post.body.id}/delete/`, alice.token)).status).toBe(204);
    expect((await onB2.closed).code).toBe(4040);
    expect((await onA.closed).code).toBe(4040);
  });

  // B's change reaches A as a database notice a few milliseconds after B answered, so A's reads
  // are polled; a notice that never came would leave A's page stale for its 60 s lifetime.
  it('reads cached on A follow writes made through B and straight in the database', async () => {
    const writer = await register(b.url, 'cachewriter');
    const reader = await register(a.url, 'cachereader');
    type Listed = { posts: Array<{ id: number; title: string; join_number: number; writer: { username: string } }> };
    const listOnA = async () => (await call<Listed>(a.url, 'GET', '/api/post/?page=1&category=양식', reader.token)).body.posts;
    const follows = (check: () => Promise<boolean>) => eventually(check, 5000, 20);
    expect(await readUntilHit(a.url, 'mealbuddy-post-lists', listOnA)).toEqual([]); // A answered from its cache
    const post = await call<{ id: number; chat_id: number }>(b.url, 'POST', '/api/post/write/', writer.token, { title: 'B에서 쓴 글', category: '양식', content: 'c', target_number: 5 });
    await follows(async () => (await listOnA())[0]?.title === 'B에서 쓴 글');
    const detailOnA = async () => (await call<{ join_number: number; is_joined: boolean }>(a.url, 'GET', `/api/post/detail/${post.body.id}/`, reader.token)).body;
    expect(await readUntilHit(a.url, 'mealbuddy-posts', detailOnA)).toMatchObject({ join_number: 1, is_joined: false });
    expect((await call(b.url, 'POST', `/api/chat/${post.body.chat_id}/`, reader.token)).status).toBe(200);
    await follows(async () => (await detailOnA()).is_joined);
    expect(await detailOnA()).toMatchObject({ join_number: 2, is_joined: true });
    expect((await call(b.url, 'POST', '/api/user/update/', writer.token, { username: 'cachewriter2' })).status).toBe(200);
    await follows(async () => (await listOnA())[0]?.writer.username === 'cachewriter2');
    const sqlClient = new pg.Client({ connectionString: dbUrl });
    await sqlClient.connect();
    await sqlClient.query(`update mealbuddy_posts set title = 'psql에서 고침' where id = $1`, [post.body.id]);
    await sqlClient.end();
    await follows(async () => (await listOnA())[0]?.title === 'psql에서 고침');
  });

  it('race across instances: 20 joins split over A and B on a target of 10 → 9 succeed, join_number 10', async () => {
    const writer = await register(a.url, 'racewriter');
    const post = await call<{ id: number; chat_id: number }>(a.url, 'POST', '/api/post/write/', writer.token, { title: 'race', category: '피자', content: 'c', target_number: 10 });
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => register(i % 2 ? a.url : b.url, `racer${i}`)));
    const results = await Promise.all(users.map((u, i) => call((i % 2 ? b : a).url, 'POST', `/api/chat/${post.body.chat_id}/`, u.token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(results.filter((r) => r.status === 409)).toHaveLength(11);
    const detail = await eventually(async () => (await call<{ join_number: number; is_compelete: boolean }>(b.url, 'GET', `/api/post/detail/${post.body.id}/`, writer.token)).body);
    expect(detail).toMatchObject({ join_number: 10, is_compelete: true });
  });
});
