import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../core/db/client.js';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { body, mb, type MbUserRef } from '../../../../test/e2e/mealbuddy-helpers.js';

let t: TestApp;
let api: ReturnType<typeof mb>;
let alice: MbUserRef;
let bob: MbUserRef;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['mealbuddy'] });
  api = mb(t.app);
  alice = await api.register('alice');
  bob = await api.register('bob');
});

type Room = { messages: Array<{ id: number; message: string; user: { id: number } | null; chatroom: number }>; join_number: number; target_number: number; title: string; writer: { id: number }; has_more: boolean; next_before: number | null };
const codeOf = (res: { body: string }) => body<{ error: { code: string; message: string } }>(res).error;
/** a refused join answers the original's bare JSON string (docs/apps/mealbuddy.md §10) */
const refusal = (res: { body: string; headers: Record<string, unknown> }) => {
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  return body<string>(res);
};
const FULL = '인원수가 가득 찼습니다.';
const COMPLETE = '모집이 완료된 게시글입니다.';
const BANNED = '강퇴당한 채팅방에는 다시 참여할 수 없습니다.';

async function activeCount(chatId: number): Promise<number> {
  const [r] = rowsOf<{ n: number }>(await t.container.core.db.execute(sql`select count(*)::int as n from mealbuddy_chat_joins where room_id = ${chatId} and is_active`));
  return Number(r!.n);
}
async function joinNumber(postId: number): Promise<{ join_number: number; is_compelete: boolean }> {
  return body(await api.call('GET', `/api/post/detail/${postId}/`, alice.token));
}

describe('join', () => {
  it('POST joins: room payload with the join notice; counter +1; joining again changes nothing', async () => {
    const p = await api.write(alice, { target_number: 3 });
    const res = await api.join(bob, p.chat_id);
    expect(res.statusCode).toBe(200);
    const room = body<Room>(res);
    expect(room).toMatchObject({ title: '치킨먹으실분', target_number: 3, join_number: 2, writer: { id: alice.id } });
    expect(room.messages.map((m) => m.message)).toEqual(['alice 님이 입장했습니다.', 'bob 님이 입장했습니다.']);
    expect(room.messages[1]).toMatchObject({ user: null, chatroom: p.chat_id });
    const again = await api.join(bob, p.chat_id);
    expect(again.statusCode).toBe(200);
    expect(body<Room>(again).join_number).toBe(2);
    expect(body<Room>(again).messages).toHaveLength(2);
  });

  it('the join that fills the room completes the post; later joins → 409 RECRUITMENT_COMPLETE; members still get in', async () => {
    const p = await api.write(alice, { target_number: 2 });
    await api.join(bob, p.chat_id);
    expect(await joinNumber(p.id)).toMatchObject({ join_number: 2, is_compelete: true });
    const carol = await api.register('carol');
    const res = await api.join(carol, p.chat_id);
    expect(res.statusCode).toBe(409);
    expect(refusal(res)).toBe(COMPLETE);
    expect((await api.join(bob, p.chat_id)).statusCode).toBe(200);
  });

  it('reopened but full → 409 CHAT_FULL; marked complete by the writer → refused although not full', async () => {
    const p = await api.write(alice, { target_number: 2 });
    await api.join(bob, p.chat_id);
    await api.call('POST', `/api/post/detail/${p.id}/edit/`, alice.token, { is_compelete: false });
    const carol = await api.register('carol');
    expect(refusal(await api.join(carol, p.chat_id))).toBe(FULL);
    const q = await api.write(alice, { target_number: 5 });
    await api.call('POST', `/api/post/detail/${q.id}/edit/`, alice.token, { is_compelete: true });
    expect(refusal(await api.join(carol, q.chat_id))).toBe(COMPLETE);
  });

  it('missing room 404; soft-deleted room 410; anonymous 401', async () => {
    const missing = await api.join(bob, 999999);
    expect(missing.statusCode).toBe(404);
    expect(refusal(missing)).toBe('채팅방이 존재하지 않습니다.');
    const p = await api.write(alice);
    expect((await api.call('DELETE', `/api/chat/${p.chat_id}/`, alice.token)).statusCode).toBe(200);
    const res = await api.join(bob, p.chat_id);
    expect(res.statusCode).toBe(410);
    expect(refusal(res)).toBe('삭제된 채팅방입니다.');
    const anonymous = await api.call('POST', `/api/chat/${p.chat_id}/`);
    expect(anonymous.statusCode).toBe(401);
    expect(refusal(anonymous)).toBe('토큰이 없습니다.');
  });

  it('race: 20 users join a room with target 10 at once → exactly 9 succeed, join_number 10, complete', async () => {
    const p = await api.write(alice, { target_number: 10 });
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => api.register(`racer${i}`)));
    const results = await Promise.all(users.map((u) => api.join(u, p.chat_id)));
    const ok = results.filter((r) => r.statusCode === 200);
    expect(ok).toHaveLength(9);
    for (const r of results.filter((x) => x.statusCode !== 200)) {
      expect(r.statusCode).toBe(409);
      expect([FULL, COMPLETE]).toContain(refusal(r));
    }
    expect(await joinNumber(p.id)).toMatchObject({ join_number: 10, is_compelete: true });
    expect(await activeCount(p.chat_id)).toBe(10);
  });
});

describe('room, members, history', () => {
  it('GET room: members only (403 for others, 401 anonymous); members list in join order', async () => {
    const p = await api.write(alice);
    expect(codeOf(await api.call('GET', `/api/chat/${p.chat_id}/`, bob.token))).toMatchObject({ code: 'CHAT_ACCESS_DENIED', message: '채팅방에 접근할 권한이 없습니다.' });
    expect((await api.call('GET', `/api/chat/${p.chat_id}/user/`, bob.token)).statusCode).toBe(403);
    expect((await api.call('GET', `/api/chat/${p.chat_id}/`)).statusCode).toBe(401);
    await api.join(bob, p.chat_id);
    const members = await api.call('GET', `/api/chat/${p.chat_id}/user/`, bob.token);
    // another member's e-mail is not shown (issue 15 #4); your own is
    expect(body(members)).toEqual([{ user: { id: alice.id, username: 'alice', email: '' } }, { user: { id: bob.id, username: 'bob', email: bob.email } }]);
    expect((await api.call('GET', '/api/chat/999999/user/', bob.token)).statusCode).toBe(404);
  });

  it('history cursor: ?limit= gives the newest page, ?before= walks back; messages stay oldest first', async () => {
    const p = await api.write(alice);
    for (let i = 0; i < 7; i++) {
      await t.container.core.db.execute(sql`insert into mealbuddy_chat_messages (room_id, user_id, message) values (${p.chat_id}, ${alice.id}, ${`m${i}`})`);
    }
    const first = body<Room>(await api.call('GET', `/api/chat/${p.chat_id}/?limit=3`, alice.token));
    expect(first.messages.map((m) => m.message)).toEqual(['m4', 'm5', 'm6']);
    expect(first.has_more).toBe(true);
    const second = body<Room>(await api.call('GET', `/api/chat/${p.chat_id}/?limit=3&before=${first.next_before}`, alice.token));
    expect(second.messages.map((m) => m.message)).toEqual(['m1', 'm2', 'm3']);
    const third = body<Room>(await api.call('GET', `/api/chat/${p.chat_id}/?limit=3&before=${second.next_before}`, alice.token));
    expect(third.messages.map((m) => m.message)).toEqual(['alice 님이 입장했습니다.', 'm0']);
    expect(third).toMatchObject({ has_more: false, next_before: null });
    expect((await api.call('GET', `/api/chat/${p.chat_id}/?limit=500`, alice.token)).statusCode).toBe(400);
  });
});

describe('leave, ban, delete room', () => {
  it('leave: idempotent, counter follows the active joins, the writer cannot leave, a non-member is refused', async () => {
    const p = await api.write(alice);
    await api.join(bob, p.chat_id);
    const leave = await api.call('DELETE', `/api/chat/${p.chat_id}/user/`, bob.token);
    expect(leave.statusCode).toBe(200);
    expect(body(leave)).toBe('채팅방에서 퇴장하였습니다.');
    expect((await api.call('DELETE', `/api/chat/${p.chat_id}/user/`, bob.token)).statusCode).toBe(200);
    expect(await joinNumber(p.id)).toMatchObject({ join_number: 1 });
    const room = body<Room>(await api.call('GET', `/api/chat/${p.chat_id}/`, alice.token));
    expect(room.messages.filter((m) => m.message === 'bob 님이 퇴장했습니다.')).toHaveLength(1);
    expect(codeOf(await api.call('DELETE', `/api/chat/${p.chat_id}/user/`, alice.token)).code).toBe('WRITER_CANNOT_LEAVE');
    const carol = await api.register('carol');
    expect((await api.call('DELETE', `/api/chat/${p.chat_id}/user/`, carol.token)).statusCode).toBe(403);
    expect((await api.join(bob, p.chat_id)).statusCode).toBe(200);
    expect(await joinNumber(p.id)).toMatchObject({ join_number: 2 });
  });

  it('ban: writer only; idempotent; banned user cannot rejoin; target must be a member and not the writer', async () => {
    const p = await api.write(alice);
    await api.join(bob, p.chat_id);
    const carol = await api.register('carol');
    await api.join(carol, p.chat_id);
    expect(codeOf(await api.form(`/api/chat/${p.chat_id}/user/ban/`, { target_user_id: bob.id }, carol.token))).toMatchObject({ code: 'BAN_FORBIDDEN', message: '권한이 없습니다.' });
    expect((await api.form(`/api/chat/${p.chat_id}/user/ban/`, { target_user_id: bob.id })).statusCode).toBe(401);
    expect((await api.form(`/api/chat/${p.chat_id}/user/ban/`, { target_user_id: alice.id }, alice.token)).statusCode).toBe(400);
    const dave = await api.register('dave');
    expect((await api.form(`/api/chat/${p.chat_id}/user/ban/`, { target_user_id: dave.id }, alice.token)).statusCode).toBe(404);
    const ok = await api.form(`/api/chat/${p.chat_id}/user/ban/`, { target_user_id: bob.id }, alice.token);
    expect(ok.statusCode).toBe(200);
    expect(body(ok)).toBe('해당 유저를 강퇴하였습니다.');
    expect((await api.form(`/api/chat/${p.chat_id}/user/ban/`, { target_user_id: bob.id }, alice.token)).statusCode).toBe(200);
    expect(await joinNumber(p.id)).toMatchObject({ join_number: 2 });
    expect(refusal(await api.join(bob, p.chat_id))).toBe(BANNED);
    expect((await api.call('GET', `/api/chat/${p.chat_id}/`, bob.token)).statusCode).toBe(403);
    // banning a user who already left blacklists them without another notice or decrement
    await api.call('DELETE', `/api/chat/${p.chat_id}/user/`, carol.token);
    expect((await api.form(`/api/chat/${p.chat_id}/user/ban/`, { target_user_id: carol.id }, alice.token)).statusCode).toBe(200);
    expect(await joinNumber(p.id)).toMatchObject({ join_number: 1 });
    expect(refusal(await api.join(carol, p.chat_id))).toBe(BANNED);
  });

  it('DELETE room: writer only; soft delete blocks GET; idempotent', async () => {
    const p = await api.write(alice);
    await api.join(bob, p.chat_id);
    expect(codeOf(await api.call('DELETE', `/api/chat/${p.chat_id}/`, bob.token))).toMatchObject({ code: 'CHAT_DELETE_FORBIDDEN', message: '채팅방을 삭제할 권한이 없습니다.' });
    const res = await api.call('DELETE', `/api/chat/${p.chat_id}/`, alice.token);
    expect(res.statusCode).toBe(200);
    expect(body(res)).toBe('채팅방이 삭제되었습니다.');
    expect((await api.call('GET', `/api/chat/${p.chat_id}/`, bob.token)).statusCode).toBe(410);
    expect((await api.call('DELETE', `/api/chat/${p.chat_id}/`, alice.token)).statusCode).toBe(200);
    expect((await api.call('DELETE', '/api/chat/999999/', alice.token)).statusCode).toBe(404);
  });
});
