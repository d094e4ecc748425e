import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../core/db/client.js';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { eventually } from '../../../../test/process.js';
import { body, mb, type MbUserRef } from '../../../../test/e2e/mealbuddy-helpers.js';
import { connectChat, type Client } from '../../../../test/e2e/mealbuddy-ws.js';
import { roomTopic } from '../mealbuddy.common.js';

let t: TestApp;
let api: ReturnType<typeof mb>;
let base: string;
let alice: MbUserRef;
let bob: MbUserRef;
let post: { id: number; chat_id: number };
const clients: Client[] = [];

beforeEach(async () => {
  t = await buildTestApp({ apps: ['mealbuddy'] });
  api = mb(t.app);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  alice = await api.register('alice');
  bob = await api.register('bob');
  post = await api.write(alice, { target_number: 5 });
  await api.join(bob, post.chat_id);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await t.close();
});

function open(token: string | undefined, roomId: number | string = post.chat_id): Client {
  const c = connectChat(base, roomId, token);
  clients.push(c);
  return c;
}
/** connects and waits until the hub has subscribed the socket to the room */
async function member(u: MbUserRef): Promise<Client> {
  const before = t.container.core.hub.localMembers(roomTopic(post.chat_id));
  const c = open(u.token);
  await eventually(async () => t.container.core.hub.localMembers(roomTopic(post.chat_id)) > before, 5000, 20);
  return c;
}

describe('handshake', () => {
  it('bad or missing token → 4401; missing room → 4404; non-member → 4403; no 500s', async () => {
    expect((await open('garbage').closed).code).toBe(4401);
    expect((await open(undefined).closed).code).toBe(4401);
    expect((await open(alice.token, 999999).closed).code).toBe(4404);
    expect((await open(alice.token, 'abc').closed).code).toBe(4404);
    const carol = await api.register('carol');
    expect((await open(carol.token).closed).code).toBe(4403);
  });

  it('a deactivated user is refused with 4401', async () => {
    await t.container.core.db.execute(sql`update mealbuddy_users set is_active = false where id = ${bob.id}`);
    expect((await open(bob.token).closed).code).toBe(4401);
  });
});

describe('messages', () => {
  it('chat.message reaches every member including the sender, exact shape, persisted before broadcast', async () => {
    const a = await member(alice);
    const b = await member(bob);
    b.send({ message: '안녕하세요!', ignored: 1 });
    const got = await a.next((f) => f.type === 'chat.message');
    expect(Object.keys(got)).toEqual(['type', 'message']);
    expect(got.message).toEqual({
      id: expect.any(Number),
      user: { id: bob.id, username: 'bob', email: '' }, // messages carry no e-mail (issue 15 #4)
      message: '안녕하세요!',
      created_at: expect.stringMatching(/\+09:00$/),
      chatroom: post.chat_id,
    });
    const echo = await b.next((f) => f.type === 'chat.message');
    expect(echo.message!.id).toBe(got.message!.id);
    const [row] = rowsOf<{ message: string }>(await t.container.core.db.execute(sql`select message from mealbuddy_chat_messages where id = ${got.message!.id}`));
    expect(row!.message).toBe('안녕하세요!');
  });

  it('invalid frames get an error frame, not a 1011 close: non-JSON, no message, blank, 301 chars; 300 chars pass', async () => {
    const a = await member(alice);
    for (const [frame, code] of [
      ['not json', 'MESSAGE_INVALID'],
      [{ text: 'x' }, 'MESSAGE_INVALID'],
      [{ message: '   ' }, 'MESSAGE_BLANK'],
      [{ message: '가'.repeat(301) }, 'MESSAGE_TOO_LONG'],
    ] as const) {
      a.send(frame);
      expect((await a.next((f) => f.type === 'error')).error!.code).toBe(code);
    }
    a.send({ message: '가'.repeat(300) });
    expect((await a.next((f) => f.type === 'chat.message')).message!.message).toHaveLength(300);
    expect(a.ws.readyState).toBe(1);
  });

  it('per-connection rate limit: a burst beyond 10 gets WS_RATE_LIMITED frames', async () => {
    const a = await member(alice);
    for (let i = 0; i < 25; i++) a.send({ message: `m${i}` });
    await a.next((f) => f.error?.code === 'WS_RATE_LIMITED');
    await eventually(async () => a.frames.filter((f) => f.type === 'chat.message').length >= 10, 5000, 20);
    expect(a.frames.filter((f) => f.type === 'chat.message').length).toBeLessThan(25);
  });
});

describe('membership events', () => {
  it('chat.user.join when someone joins over HTTP', async () => {
    const a = await member(alice);
    const carol = await api.register('carol');
    await api.join(carol, post.chat_id);
    const f = await a.next((x) => x.type === 'chat.user.join');
    expect(Object.keys(f)).toEqual(['type', 'user_id', 'message']);
    expect(f.user_id).toBe(carol.id);
    expect(f.message).toMatchObject({ user: null, message: 'carol 님이 입장했습니다.', chatroom: post.chat_id });
  });

  it('leave: chat.user.leave to the room, then the leaver\'s socket is closed 4403', async () => {
    const a = await member(alice);
    const b = await member(bob);
    await api.call('DELETE', `/api/chat/${post.chat_id}/user/`, bob.token);
    const f = await a.next((x) => x.type === 'chat.user.leave');
    expect(f).toMatchObject({ user_id: bob.id, message: { user: null, message: 'bob 님이 퇴장했습니다.' } });
    expect((await b.next((x) => x.type === 'chat.user.leave')).user_id).toBe(bob.id);
    expect((await b.closed).code).toBe(4403);
    expect(a.ws.readyState).toBe(1);
  });

  it('ban: the kicked user gets chat.user.leave with their id and is disconnected; cannot reconnect', async () => {
    const a = await member(alice);
    const b = await member(bob);
    await api.form(`/api/chat/${post.chat_id}/user/ban/`, { target_user_id: bob.id }, alice.token);
    expect((await b.next((x) => x.type === 'chat.user.leave')).user_id).toBe(bob.id);
    expect((await b.closed).code).toBe(4403);
    expect((await a.next((x) => x.type === 'chat.user.leave')).user_id).toBe(bob.id);
    expect((await open(bob.token).closed).code).toBe(4403);
  });
});

describe('room deletion', () => {
  it('deleting the post closes every socket of the room with 4040, no frame before it', async () => {
    const a = await member(alice);
    const b = await member(bob);
    const res = await api.call('POST', `/api/post/detail/${post.id}/delete/`, alice.token);
    expect(res.statusCode).toBe(204);
    expect((await a.closed).code).toBe(4040);
    expect((await b.closed).code).toBe(4040);
    expect(b.frames).toEqual([]);
  });

  it('soft-deleting the room also closes sockets with 4040 and refuses new ones', async () => {
    const b = await member(bob);
    expect(body(await api.call('DELETE', `/api/chat/${post.chat_id}/`, alice.token))).toBe('채팅방이 삭제되었습니다.');
    expect((await b.closed).code).toBe(4040);
    expect((await open(bob.token).closed).code).toBe(4040);
  });
});

describe('origins (docs/apps/mealbuddy.md §11.10)', () => {
  it('with CORS_ORIGINS set, a socket from another origin is refused with 4403; the front end\'s origin is let in', async () => {
    const strict = await buildTestApp({ apps: ['mealbuddy'], env: { CORS_ORIGINS: 'https://mealbuddy.space' } });
    const s = mb(strict.app);
    const url = await strict.app.listen({ port: 0, host: '127.0.0.1' });
    const u = await s.register('origin');
    const p = await s.write(u);
    const evil = connectChat(url, p.chat_id, u.token, { origin: 'https://evil.example' });
    clients.push(evil);
    expect((await evil.closed).code).toBe(4403);
    const good = connectChat(url, p.chat_id, u.token, { origin: 'https://mealbuddy.space' });
    clients.push(good);
    good.send({ message: 'hi' });
    expect((await good.next((f) => f.type === 'chat.message')).message!.message).toBe('hi');
    good.ws.terminate();
    await strict.close();
  });
});
