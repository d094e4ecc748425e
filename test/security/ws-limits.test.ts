// issue 15 #6: WebSocket limits were per socket: one user with 20 chat sockets sent 120 messages
// in about a second, and one user opened 2,794 machines sockets. Now sockets and messages are
// counted per user, on every instance together (two servers sharing Redis on the PostgreSQL +
// Redis pass; one server embedded).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { roomTopic } from '../../src/apps/mealbuddy/mealbuddy.common.js';
import { mb, type MbUserRef } from '../e2e/mealbuddy-helpers.js';
import { connectChat, type Client } from '../e2e/mealbuddy-ws.js';
import { buildTestApp, json, type TestApp } from '../harness.js';
import { eventually } from '../spawn.js';

const servers: Array<{ t: TestApp; base: string }> = [];
const sockets: WebSocket[] = [];
let api: ReturnType<typeof mb>;

beforeAll(async () => {
  const env = {
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_AUTH_MAX: '100000',
    WS_MAX_SOCKETS_PER_USER: '3',
    WS_MESSAGES_PER_USER: '10',
    WS_MESSAGE_WINDOW_MS: '600000',
    REDIS_PREFIX: `madang-test-ws-${process.pid}-${randomBytes(4).toString('hex')}`,
  };
  for (let i = 0; i < (process.env.REDIS_URL ? 2 : 1); i++) {
    const t = await buildTestApp({ apps: ['machines', 'mealbuddy'], workers: false, env, keepData: i > 0 });
    servers.push({ t, base: await t.app.listen({ port: 0, host: '127.0.0.1' }) });
  }
  const inner = servers[0]!.t.app;
  api = mb({ inject: (opts: { url: string }) => inner.inject({ ...opts, url: `/mealbuddy${opts.url}` }) } as unknown as typeof inner);
}, 120_000);

afterAll(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  for (const s of servers) await s.t.close();
});

/** a machines socket: resolves 'ready' or the close code */
function machinesSocket(base: string, token: string): { ws: WebSocket; outcome: Promise<string | number> } {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/machines/ws/machines/?token=${token}`);
  sockets.push(ws);
  ws.on('error', () => undefined);
  const outcome = new Promise<string | number>((resolve) => {
    ws.on('message', (d) => {
      if ((JSON.parse(String(d)) as { type: string }).type === 'ready') resolve('ready');
    });
    ws.on('close', (code) => resolve(code));
  });
  return { ws, outcome };
}

it('machines: a user holds at most WS_MAX_SOCKETS_PER_USER sockets over all instances; a closed one frees its slot', async () => {
  const res = await servers[0]!.t.app.inject({ method: 'POST', url: '/machines/api/sign-up/', payload: { username: 'sockets', password: 'password-123', email: 's@example.com' } });
  const token = json<{ result: { token: { access: string } } }>(res).result.token.access;
  const first = [0, 1, 2].map((i) => machinesSocket(servers[i % servers.length]!.base, token));
  expect(await Promise.all(first.map((s) => s.outcome))).toEqual(['ready', 'ready', 'ready']);
  const more = [0, 1, 2, 3, 4].map((i) => machinesSocket(servers[(i + 1) % servers.length]!.base, token));
  expect(await Promise.all(more.map((s) => s.outcome))).toEqual([1008, 1008, 1008, 1008, 1008]);
  // another user is not affected
  const other = await servers[0]!.t.app.inject({ method: 'POST', url: '/machines/api/sign-up/', payload: { username: 'other', password: 'password-123', email: 'o@example.com' } });
  expect(await machinesSocket(servers.at(-1)!.base, json<{ result: { token: { access: string } } }>(other).result.token.access).outcome).toBe('ready');
  first[0]!.ws.close();
  await eventually(async () => (await machinesSocket(servers.at(-1)!.base, token).outcome) === 'ready', 10_000, 100);
});

it('mealbuddy: one user\'s messages over several sockets and instances share one budget', async () => {
  const users: MbUserRef[] = [await api.register('flooder'), await api.register('listener')];
  const post = await api.write(users[0]!, { target_number: 3 });
  expect((await api.join(users[1]!, post.chat_id)).statusCode).toBe(200);
  const member = async (u: MbUserRef, s: { t: TestApp; base: string }): Promise<Client> => {
    const before = s.t.container.core.hub.localMembers(roomTopic(post.chat_id));
    const c = connectChat(`${s.base}/mealbuddy`, post.chat_id, u.token);
    sockets.push(c.ws);
    await eventually(async () => c.ws.readyState === WebSocket.OPEN && s.t.container.core.hub.localMembers(roomTopic(post.chat_id)) > before, 5000, 20);
    return c;
  };
  const listener = await member(users[1]!, servers[0]!);
  const flood = [await member(users[0]!, servers[0]!), await member(users[0]!, servers.at(-1)!), await member(users[0]!, servers[0]!)];
  // 3 sockets × 6 messages: within each socket's own bucket (burst 10), over the user's 10
  for (let i = 0; i < 6; i++) for (const [k, c] of flood.entries()) c.send({ message: `m${k}-${i}` });
  await eventually(async () => flood.reduce((n, c) => n + c.frames.filter((f) => f.type === 'error' && f.error?.code === 'WS_RATE_LIMITED').length, 0) === 8, 10_000, 50);
  const history = await api.call('GET', `/api/chat/${post.chat_id}/?limit=100`, users[1]!.token);
  const messages = json<{ messages: Array<{ message: string }> }>(history).messages.filter((m) => /^m\d-\d$/.test(m.message));
  expect(messages).toHaveLength(10);
  expect(listener.ws.readyState).toBe(WebSocket.OPEN);
}, 30_000);
