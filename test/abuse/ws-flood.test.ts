// WebSocket floods against a real listening server with every app mounted: an oversized frame
// closes only the sender's socket (1009, core's 64 KiB maxPayload), a flooding socket is
// throttled and dropped without filling the chat history, and the other members keep talking.
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { roomTopic } from '../../src/apps/mealbuddy/mealbuddy.common.js';
import { mb, type MbUserRef } from '../e2e/mealbuddy-helpers.js';
import { connectChat, type Client, type Frame } from '../e2e/mealbuddy-ws.js';
import { buildTestApp, json, type TestApp } from '../harness.js';
import { eventually } from '../spawn.js';

const OVERSIZED = 'x'.repeat(64 * 1024 + 512);

let t: TestApp;
let base: string;
let api: ReturnType<typeof mb>;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  t = await buildTestApp({ workers: false });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  // the mealbuddy helpers speak app-relative URLs: prefix them for the all-apps server
  const inner = t.app;
  api = mb({ inject: (opts: { url: string }) => inner.inject({ ...opts, url: `/mealbuddy${opts.url}` }) } as unknown as typeof inner);
}, 120_000);

afterAll(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await t?.close();
});

/** a room of `n` members (the first wrote the post) */
async function room(prefix: string, n: number): Promise<{ users: MbUserRef[]; chatId: number }> {
  const users: MbUserRef[] = [];
  for (let i = 0; i < n; i++) users.push(await api.register(`${prefix}${i}`));
  const post = await api.write(users[0]!, { target_number: n + 1 });
  for (const u of users.slice(1)) expect((await api.join(u, post.chat_id)).statusCode).toBe(200);
  return { users, chatId: post.chat_id };
}

/** connects and waits until the hub has subscribed the socket to the room */
async function member(chatId: number, u: MbUserRef): Promise<Client> {
  const before = t.container.core.hub.localMembers(roomTopic(chatId));
  const c = connectChat(`${base}/mealbuddy`, chatId, u.token);
  sockets.push(c.ws);
  await eventually(async () => t.container.core.hub.localMembers(roomTopic(chatId)) > before && c.ws.readyState === WebSocket.OPEN, 5000, 20);
  return c;
}

const said = (text: string) => (f: Frame) => f.type === 'chat.message' && f.message?.message === text;

it('an oversized chat frame closes that socket with 1009; the other member keeps chatting', async () => {
  const { users, chatId } = await room('big', 2);
  const writer = await member(chatId, users[0]!);
  const attacker = await member(chatId, users[1]!);
  attacker.ws.send(OVERSIZED);
  expect((await attacker.closed).code).toBe(1009);
  writer.send({ message: '아직 살아있어요' });
  expect((await writer.next(said('아직 살아있어요'), 2000)).message?.user?.id).toBe(users[0]!.id);
  expect(writer.ws.readyState).toBe(WebSocket.OPEN);
});

it('1,000 messages in a second are throttled and dropped; history stays bounded; others are served promptly', async () => {
  const { users, chatId } = await room('flood', 3);
  const [writer, flooder, listener] = users as [MbUserRef, MbUserRef, MbUserRef];
  const w = await member(chatId, writer);
  const f = await member(chatId, flooder);
  const l = await member(chatId, listener);
  let sent = 0;
  // the attack: 100 frames at a time until the server drops the socket (at most 1,000)
  while (sent < 1000 && f.ws.readyState === WebSocket.OPEN) {
    for (let i = 0; i < 100; i++) f.ws.send(JSON.stringify({ message: `flood ${sent++}` }));
    await new Promise((r) => f.ws.once('message', r).once('close', r)); // paced by the server's answers
  }
  const closed = await f.closed;
  expect(sent).toBeGreaterThanOrEqual(100);
  expect(f.frames.some((fr) => fr.type === 'error' && fr.error?.code === 'WS_RATE_LIMITED')).toBe(true);
  expect(closed?.code, 'the flooder is dropped after repeated warnings').toBe(1008);

  // the others are still served (how fast is measured in bench/, not asserted here)
  w.send({ message: '홍수 뒤에도 들려요' });
  await l.next(said('홍수 뒤에도 들려요'), 10_000);

  const history = await api.call('GET', `/api/chat/${chatId}/?limit=200`, listener.token);
  expect(history.statusCode).toBe(200);
  const messages = json<{ messages: Array<Frame['message']> }>(history).messages;
  expect(messages.some((m) => m?.message === '홍수 뒤에도 들려요')).toBe(true);
  // at most a burst of 10 plus 5 a second while the socket lived (frames still queued when it is
  // dropped are discarded): far below the 1,000 sent
  expect(messages.filter((m) => m?.user?.id === flooder.id).length).toBeLessThanOrEqual(30);
}, 30_000);

it('an oversized frame on the machines socket closes it with 1009; another socket is unaffected', async () => {
  const signUp = async (name: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/machines/api/sign-up/', payload: { username: name, password: 'password1', email: `${name}@example.com` } });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ result: { token: { access: string } } }>(res).result.token.access;
  };
  const open = (token: string) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/machines/ws/machines/?token=${encodeURIComponent(token)}`);
    sockets.push(ws);
    const frames: Array<{ type: string }> = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as { type: string }));
    ws.on('error', () => undefined);
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    return { ws, frames, closed };
  };
  const victim = open(await signUp('wsbig1'));
  const bystander = open(await signUp('wsbig2'));
  await eventually(async () => victim.frames.some((x) => x.type === 'ready') && bystander.frames.some((x) => x.type === 'ready'), 5000, 20);
  victim.ws.send(OVERSIZED);
  expect(await victim.closed).toBe(1009);
  bystander.ws.send('ping');
  await eventually(async () => bystander.frames.some((x) => x.type === 'pong'), 1000, 10);
  expect(bystander.ws.readyState).toBe(WebSocket.OPEN);
});
