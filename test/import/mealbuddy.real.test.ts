// mealbuddy: MealBuddy's tables on PostgreSQL with the bugs its running deployment collected
// (join_number drift, a post whose room was never created, duplicate memberships, a blacklist with
// repeats, a deleted user and garbage, a writer who left their own room, case-variant e-mails),
// imported into PostgreSQL and read back through madang's mealbuddy API.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/core/db/client.js';
import { runImport, type ImportResult } from '../../src/import/run.js';
import { djangoPbkdf2, pgOriginal, pgTarget, serve, targetConfig, tempDir, unique, type Served } from './helpers.js';
import { MEALBUDDY_SCHEMA } from './originals.js';

const JEJU = '제주특별자치도 제주시 용담이동';
const SEOUL = '서울특별시 종로구 청운동';
let served: Served;
let result: ImportResult;
let target: string;
let from: string;

async function login(email: string, password: string) {
  return served.app.inject({ method: 'POST', url: '/api/user/login/', payload: { email, password } });
}

async function tokenOf(email: string, password: string): Promise<string> {
  const res = await login(email, password);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().user.token;
}

const call = (method: 'GET' | 'POST', url: string, token: string) =>
  served.app.inject({ method, url, headers: { authorization: `token ${token}` } });

beforeAll(async () => {
  const original = await pgOriginal(unique('madang_orig_mealbuddy'));
  from = original.url;
  await original.sql(MEALBUDDY_SCHEMA);
  const day = (n: number) => new Date(Date.now() - (30 - n) * 86400_000);
  const users: Array<[number, string, string, string, boolean]> = [
    [1, 'A@a.com', 'alice', JEJU, true],
    [2, 'b@b.com', 'bob', JEJU, true],
    [3, 'a@a.com', 'carol', SEOUL, true], // the original lower-cased only the domain: a case variant of alice's
    [4, 'd@d.com', 'dave', JEJU, false], // soft-deleted ("account delete")
    [5, 'e@e.com', 'erin', JEJU, true],
  ];
  for (const [id, email, username, address, active] of users) {
    await original.sql(
      `insert into user_user values ($1, $2, null, false, $3, $4, $5, $6, false, $7, $7)`,
      [id, djangoPbkdf2(`${username}-password`, id === 1 ? 600_000 : 1000), email, username, address, active, day(id)],
    );
  }
  const post = (id: number, writer: number, target: number, join: number, address: string, complete = false) =>
    original.sql(`insert into post_post values ($1, $2, '치킨', '같이 시켜요', $3, $4, $5, $6, $7, $8)`, [id, `post ${id}`, writer, address.slice(0, 30), day(10 + id), complete, target, join]);
  await post(1, 1, 3, 0, JEJU); // drift: two active members, the counter says 0
  await post(2, 2, 1, 1, JEJU, false); // its room was never created (signal outside a transaction)
  await post(3, 1, 4, 1, JEJU);
  await post(4, 3, 15, 1, SEOUL); // target above 10 (validators ran only in the serializer)
  await original.sql(`insert into "chatRoom" values (1, 1, false, '{}'), (3, 3, false, '{2,2,99,x}'), (10, 4, false, null)`);
  const join = (id: number, room: number, user: number, left: boolean, n: number) =>
    // the original's names are swapped: updated_at is the join time, created_at the last save
    original.sql(`insert into "chatRoomJoin" values ($1, $2, $3, $4, $5, $6)`, [id, room, user, left, day(20 + n), day(11 + n)]);
  await join(1, 1, 1, false, 0);
  await join(2, 1, 2, false, 1);
  await join(3, 3, 1, true, 2); // the writer left their own room
  await join(4, 3, 2, true, 3); // bob, banned (twice, by the blacklist)
  await join(5, 3, 5, true, 4); // erin left…
  await join(6, 3, 5, false, 5); // …and a second row for her re-join (no unique key)
  await join(7, 10, 3, false, 6);
  const message = (id: number, room: number, user: number | null, text: string) =>
    original.sql(`insert into "chatMessage" values ($1, $2, $3, $4, $5)`, [id, text, new Date(Date.now() - 86400_000 + id * 1000), room, user]);
  await message(1, 1, null, 'alice 님이 입장했습니다.');
  await message(2, 1, null, 'bob 님이 입장했습니다.');
  await message(3, 1, 2, '안녕하세요!');
  await message(4, 1, 1, '반가워요');
  await message(5, 1, 2, '');
  await message(6, 3, 5, '저도 낄게요');

  target = await pgTarget(unique('madang_tgt_mealbuddy'));
  const config = targetConfig('mealbuddy', tempDir('madang-import-mealbuddy'), target);
  result = await runImport(config, { app: 'mealbuddy', from });
  served = await serve(config);
}, 120_000);

describe('madang import mealbuddy → PostgreSQL', () => {
  it('reports the repairs; nothing failed', () => {
    expect(result.exitCode, result.report.summary()).toBe(0);
    const summary = result.report.summary();
    for (const text of [
      'join_number differed from the active members (drift); recomputed',
      'post had no chat room',
      'duplicate membership of one user in one room',
      'writer had left or was banned from their own room',
      'not the id of an imported user',
      'a user listed more than once in a blacklist',
      'target_number outside 1–10; clamped',
    ]) expect(summary).toContain(text);
    const stats = Object.fromEntries(result.report.toJson().tables.map((t) => [t.table, t]));
    expect(stats.chatRoomJoin).toMatchObject({ read: 7, imported: 6, merged: 1, failed: 0 });
    expect(stats.chatMessage).toMatchObject({ read: 6, imported: 6 });
    expect(stats['chatRoom.blacklist']).toMatchObject({ imported: 1, skipped: 2 });
  });

  it('alice logs in with her old password (any case of her e-mail) and sees her neighbourhood\'s posts with true counts', async () => {
    const token = await tokenOf('a@A.com', 'alice-password');
    const list = await call('GET', '/api/post/?page=1', token);
    expect(list.statusCode, list.body).toBe(200);
    const posts = list.json().posts as Array<{ id: number; join_number: number; target_number: number; chat_id: number; writer: { id: number } }>;
    expect(posts.map((p) => [p.id, p.writer.id, p.join_number, p.target_number])).toEqual([
      [3, 1, 2, 4],
      [2, 2, 1, 1],
      [1, 1, 2, 3],
    ]);
    expect(posts.find((p) => p.id === 1)!.chat_id).toBe(1);
    expect(posts.find((p) => p.id === 2)!.chat_id).toBeGreaterThan(10);
  });

  it('an imported chat room shows its history in order, system messages included', async () => {
    const token = await tokenOf('a@a.com', 'alice-password');
    const room = await call('GET', '/api/chat/1/', token);
    expect(room.statusCode, room.body).toBe(200);
    const messages = room.json().messages as Array<{ id: number; message: string; user: { id: number } | null }>;
    expect(messages.map((m) => [m.id, m.user?.id ?? null, m.message])).toEqual([
      [1, null, 'alice 님이 입장했습니다.'],
      [2, null, 'bob 님이 입장했습니다.'],
      [3, 2, '안녕하세요!'],
      [4, 1, '반가워요'],
      [5, 2, ''],
    ]);
  });

  it('the blacklist holds: bob cannot rejoin room 3; the members are the writer (back in) and erin', async () => {
    const bob = await tokenOf('b@b.com', 'bob-password');
    const rejoin = await call('POST', '/api/chat/3/', bob);
    expect(rejoin.statusCode).toBeGreaterThanOrEqual(400);
    const alice = await tokenOf('a@a.com', 'alice-password');
    const members = await call('GET', '/api/chat/3/user/', alice);
    expect(members.statusCode, members.body).toBe(200);
    expect((members.json() as Array<{ user: { id: number } }>).map((m) => m.user.id).sort()).toEqual([1, 5]);
  });

  it('the case-variant e-mail gets a plus-address; the soft-deleted user stays out; a target above 10 is clamped', async () => {
    const carol = await tokenOf('a+3@a.com', 'carol-password');
    const post = await call('GET', '/api/post/detail/4/', carol);
    expect(post.json()).toMatchObject({ id: 4, target_number: 10, join_number: 1, chat_id: 10 });
    expect((await login('d@d.com', 'dave-password')).statusCode).toBe(401);
  });

  it('a second run changes nothing and writes nothing twice', async () => {
    const count = async () =>
      rowsOf<{ t: string; n: number }>(
        await served.container.core.db.execute(sql`select 'joins' as t, count(*)::int as n from mealbuddy_chat_joins
          union all select 'messages', count(*)::int from mealbuddy_chat_messages
          union all select 'rooms', count(*)::int from mealbuddy_chat_rooms
          union all select 'posts', sum(join_number)::int from mealbuddy_posts`),
      );
    const before = await count();
    const again = await runImport(targetConfig('mealbuddy', tempDir('madang-import-mealbuddy'), target), { app: 'mealbuddy', from });
    expect(again.exitCode, again.report.summary()).toBe(0);
    expect(again.report.toJson().tables.every((t) => t.imported === 0 && t.repaired === 0)).toBe(true);
    expect(await count()).toEqual(before);
  });
});
