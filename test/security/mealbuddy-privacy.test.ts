// issue 15 #4: anyone could set their address to a victim's, list that neighbourhood's posts with
// the writers' e-mails, join rooms and read the members' e-mails. Now a writer's e-mail is shown to
// the writer and staff only (others get "", the key stays; the original front end reads only
// username), room members see no other member's e-mail, and address changes are limited per day
// and recorded (mealbuddy_address_changes: who, from, to, when).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowsOf } from '../../src/core/db/client.js';
import { ADDRESS, body, mb } from '../e2e/mealbuddy-helpers.js';
import { buildTestApp, type TestApp } from '../harness.js';

let t: TestApp;
let api: ReturnType<typeof mb>;
beforeAll(async () => {
  t = await buildTestApp({ apps: ['mealbuddy'], workers: false, env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_AUTH_MAX: '100000', MEALBUDDY_ADDRESS_CHANGES_PER_DAY: '3' } });
  api = mb(t.app);
}, 120_000);
afterAll(() => t?.close());

it('moving to a victim\'s address reveals no e-mail: not in the list, the detail, the room, the members or the messages', async () => {
  const victim = await api.register('victim', ADDRESS);
  const post = await api.write(victim);
  const attacker = await api.register('attacker', '서울특별시 종로구 청운효자동');
  expect((await api.call('POST', '/api/user/update/', attacker.token, { address: ADDRESS })).statusCode).toBe(200);

  const list = body<{ posts: Array<{ writer: { username: string; email: string } }> }>(await api.call('GET', '/api/post/', attacker.token));
  expect(list.posts[0]!.writer).toEqual({ id: victim.id, username: 'victim', email: '' });
  const detail = body<{ writer: { email: string } }>(await api.call('GET', `/api/post/detail/${post.id}/`, attacker.token));
  expect(detail.writer.email).toBe('');
  // the writer still sees their own
  expect(body<{ writer: { email: string } }>(await api.call('GET', `/api/post/detail/${post.id}/`, victim.token)).writer.email).toBe(victim.email);

  const joined = await api.join(attacker, post.chat_id);
  expect(joined.statusCode).toBe(200);
  expect(body<{ writer: { email: string } }>(joined).writer.email).toBe('');
  const members = body<Array<{ user: { id: number; username: string; email: string } }>>(await api.call('GET', `/api/chat/${post.chat_id}/user/`, attacker.token));
  expect(members.map((m) => m.user)).toEqual(
    expect.arrayContaining([
      { id: victim.id, username: 'victim', email: '' },
      { id: attacker.id, username: 'attacker', email: attacker.email },
    ]),
  );
  const room = body<{ writer: { email: string }; messages: Array<{ user: { email: string } | null }> }>(await api.call('GET', `/api/chat/${post.chat_id}/`, attacker.token));
  expect(room.writer.email).toBe('');
  expect(JSON.stringify(await api.call('GET', `/api/chat/${post.chat_id}/`, attacker.token).then((r) => r.body))).not.toContain(victim.email);
});

it('address changes: MEALBUDDY_ADDRESS_CHANGES_PER_DAY, then 429; a rename alone does not count; each move is recorded', async () => {
  const mover = await api.register('mover', ADDRESS);
  const codes: number[] = [];
  for (const address of ['서울특별시 종로구 청운효자동', '서울특별시 종로구 사직동', '서울특별시 종로구 삼청동', '서울특별시 종로구 부암동']) {
    codes.push((await api.call('POST', '/api/user/update/', mover.token, { address })).statusCode);
  }
  expect(codes).toEqual([200, 200, 200, 429]);
  const refused = await api.call('POST', '/api/user/update/', mover.token, { address: ADDRESS });
  expect(body<{ error: { code: string } }>(refused).error.code).toBe('ADDRESS_CHANGE_LIMITED');
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect((await api.call('POST', '/api/user/update/', mover.token, { username: 'mover2' })).statusCode).toBe(200);
  // the address stayed where the last allowed change put it
  expect(body<{ user: { address: string } }>(await api.call('GET', '/api/user/current/', mover.token)).user.address).toBe('서울특별시 종로구 삼청동');

  // staying where one is is no move (and not limited)
  expect((await api.call('POST', '/api/user/update/', mover.token, { address: '서울특별시 종로구 삼청동' })).statusCode).toBe(200);
  // the three moves are recorded with the user, old and new address and the time; the refused
  // move, the rename and the unchanged address are not
  const since = new Date(Date.now() - 60_000);
  const rows = rowsOf<{ user_id: string | number; old_address: string; new_address: string; changed_at: string | Date }>(
    await t.container.core.db.execute(sql`select user_id, old_address, new_address, changed_at from mealbuddy_address_changes where user_id = ${mover.id} order by id`),
  );
  expect(rows.map((r) => [Number(r.user_id), r.old_address, r.new_address])).toEqual([
    [mover.id, ADDRESS, '서울특별시 종로구 청운효자동'],
    [mover.id, '서울특별시 종로구 청운효자동', '서울특별시 종로구 사직동'],
    [mover.id, '서울특별시 종로구 사직동', '서울특별시 종로구 삼청동'],
  ]);
  for (const r of rows) expect(new Date(r.changed_at).getTime()).toBeGreaterThan(since.getTime());
});
