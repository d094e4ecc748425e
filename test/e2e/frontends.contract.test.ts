// Contract tests for the steps where the original React front ends broke against madang (each app
// served alone at its original paths, as the front ends were driven): the request each front end
// sends, and the exact status and body it needs. On these routes the original's body shape wins
// over the platform envelope (docs/apps/<app>.md, "routes an original front end parses").
// Zodiac's "first upload after a start is done within 2 s" is a speed target: it lives with the
// vision work's benchmark, not here (no timing thresholds in tests).
import { beforeAll, describe, expect, it } from 'vitest';
import { createTemplate, facelessPhoto, multipart, signupLogin } from '../fixtures/igemoji/helpers.js';
import { syntheticFace } from '../fixtures/images.js';
import { poll, uploadOk, zodiacUser } from '../fixtures/zodiac.js';
import { buildTestApp, json, realAnalyzer } from '../harness.js';
import { eventually } from '../spawn.js';
import { mb, PASSWORD } from './mealbuddy-helpers.js';

describe('MealBuddy front end', () => {
  it('password change: wrong current password → 400 {"error": [...]}; new-password problems → 400 {"new_password1": [...]}', async () => {
    const t = await buildTestApp({ apps: ['mealbuddy'] });
    const api = mb(t.app);
    const u = await api.register('changer');
    // the page posts FormData and renders errors.error.map(…) and errors.new_password1.map(…)
    const change = (fields: Record<string, string>) => api.form('/api/user/changepassword/', fields, u.token);
    const wrong = await change({ current_password: 'not-my-password', new_password1: 'brand-new-pass', new_password2: 'brand-new-pass' });
    expect([wrong.statusCode, wrong.body]).toEqual([400, '{"error":["현재 암호가 올바르지 않습니다."]}']);
    const weak = await change({ current_password: PASSWORD, new_password1: '1234567', new_password2: '1234567' });
    expect(weak.statusCode).toBe(400);
    expect(json(weak)).toEqual({ new_password1: ['이 필드의 글자 수가 적어도 8 이상인지 확인하십시오.', '비밀번호가 전부 숫자로 되어 있습니다.'] });
    const mismatch = await change({ current_password: PASSWORD, new_password1: 'brand-new-pass', new_password2: 'other-new-pass' });
    expect([mismatch.statusCode, mismatch.body]).toEqual([400, '{"new_password1":["패스워드가 서로 다릅니다."]}']);
    const same = await change({ current_password: PASSWORD, new_password1: PASSWORD, new_password2: PASSWORD });
    expect(json(same)).toEqual({ new_password1: ['이전과 동일한 패스워드를 사용할 수 없습니다.'] });
  });

  it('delete account with a wrong or missing password → 401 with the bare JSON string', async () => {
    const t = await buildTestApp({ apps: ['mealbuddy'] });
    const api = mb(t.app);
    const u = await api.register('leaver');
    for (const fields of [{ password: 'wrong-password' }, {}] as Array<Record<string, string>>) {
      const res = await api.form('/api/user/delete/', fields, u.token);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toBe('"유효하지 않은 유저정보 입니다."');
    }
    // still active: the right password deletes
    expect((await api.form('/api/user/delete/', { password: PASSWORD }, u.token)).statusCode).toBe(204);
  });

  it('a refused join → the bare JSON string the page alerts', async () => {
    const t = await buildTestApp({ apps: ['mealbuddy'] });
    const api = mb(t.app);
    const writer = await api.register('host');
    const post = await api.write(writer, { target_number: 2 });
    expect((await api.join(await api.register('first'), post.chat_id)).statusCode).toBe(200);
    const late = await api.join(await api.register('late'), post.chat_id);
    expect([late.statusCode, late.body]).toEqual([409, '"모집이 완료된 게시글입니다."']);
    const missing = await api.join(writer, 999999);
    expect([missing.statusCode, missing.body]).toEqual([404, '"채팅방이 존재하지 않습니다."']);
  });

  it('first login right after a password change: the old token is refused once, the new password logs in', async () => {
    const t = await buildTestApp({ apps: ['mealbuddy'] });
    const api = mb(t.app);
    const u = await api.register('relogin');
    const ok = await api.form('/api/user/changepassword/', { current_password: PASSWORD, new_password1: 'brand-new-pass', new_password2: 'brand-new-pass' }, u.token);
    expect(ok.statusCode).toBe(200);
    // the front end still holds the revoked token: its next request with it is refused (kept: revoking is the point)
    const stale = await api.call('GET', '/api/user/current/', u.token);
    expect(stale.statusCode).toBe(401);
    expect(json(stale).error).toMatchObject({ code: 'INVALID_TOKEN' });
    // login ignores the stale header and answers the new session
    const login = await api.call('POST', '/api/user/login/', u.token, { email: u.email, password: 'brand-new-pass' });
    expect(login.statusCode).toBe(200);
    expect(json<{ user: { token: string } }>(login).user.token).not.toBe(u.token);
  });
});

describe('Zodiac front end', () => {
  beforeAll(async () => {
    await realAnalyzer().ready();
  }, 120_000);

  it('leaderboard: rank counts from 0 (the page shows rank + 1 → "1등"), place from 1', async () => {
    const t = await buildTestApp({ apps: ['zodiac'] });
    for (const [alias, mouth] of [['첫째', 36], ['둘째', 44]] as const) {
      const u = await zodiacUser(t, alias);
      const { task_id } = await uploadOk(t, u, await syntheticFace('jpeg', { mouthHalf: mouth }));
      await eventually(async () => (await poll(t, u, task_id)).body.status === 'done', 60_000, 100);
    }
    const res = await t.app.inject({ url: '/api/v1/animals/rank' });
    expect(res.statusCode).toBe(200);
    const board = json<Array<{ rank: number; place: number; alias: string; name: string; similarity: number }>>(res);
    expect(board.map((r) => [r.rank, r.place])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(board[0]!.similarity).toBeGreaterThanOrEqual(board[1]!.similarity);
    for (const r of board) expect(Object.keys(r)).toEqual(expect.arrayContaining(['alias', 'name', 'similarity', 'rank']));
  }, 120_000);
});

describe('igemoji front end', () => {
  async function uploaded(t: Awaited<ReturnType<typeof buildTestApp>>) {
    const owner = await signupLogin(t, 'owner');
    const builtin = json<Array<{ id: number }>>(await t.app.inject({ url: '/api/v1/emojis/pages/1' }))[0]!.id;
    const mp = multipart({ emoji_id: String(builtin), image: await facelessPhoto(), user_id: String(owner.id) }, 'image/jpeg');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/faces/results/tasks', payload: mp.payload, headers: { ...mp.headers, ...owner.auth } });
    expect(res.statusCode, res.body).toBe(202);
    return { owner, taskId: json<{ task_id: string }>(res).task_id };
  }

  it('result poll without a token answers (the task id is an unguessable random UUID); with another user\'s token it stays 404', async () => {
    const t = await buildTestApp({ apps: ['igemoji'], workers: false });
    const { owner, taskId } = await uploaded(t);
    // version-4 UUID: 122 random bits, as unguessable as the composite's own URL
    expect(taskId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const url = `/api/v1/faces/results/tasks/${taskId}`;
    // the front end polls with a plain fetch and no Authorization header
    const anonymous = await t.app.inject({ url });
    expect(anonymous.statusCode).toBe(200);
    expect(json(anonymous)).toEqual({ ai_result: 'notyet', status: 'queued', task_id: taskId });
    expect(anonymous.body).toBe((await t.app.inject({ url, headers: owner.auth })).body);
    const other = await signupLogin(t, 'other');
    const theirs = await t.app.inject({ url, headers: other.auth });
    expect(theirs.statusCode).toBe(404);
    expect(json(theirs).error).toMatchObject({ code: 'TASK_NOT_FOUND' });
    expect((await t.app.inject({ url: '/api/v1/faces/results/tasks/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('my page: user_id=undefined (the first request) is ignored; a valid, different id stays 403', async () => {
    const t = await buildTestApp({ apps: ['igemoji'], workers: false });
    const me = await signupLogin(t, 'mine');
    const other = await signupLogin(t, 'yours');
    for (const value of ['undefined', 'null', '', 'abc']) {
      const res = await t.app.inject({ url: `/api/v1/users/mypage/result?user_id=${value}`, headers: me.auth });
      expect(res.statusCode, value).toBe(200);
      expect(json(res)).toEqual([]);
    }
    expect((await t.app.inject({ url: `/api/v1/users/mypage/result?user_id=${me.id}`, headers: me.auth })).statusCode).toBe(200);
    const mismatch = await t.app.inject({ url: `/api/v1/users/mypage/result?user_id=${other.id}`, headers: me.auth });
    expect(mismatch.statusCode).toBe(403);
    expect(json(mismatch).error).toMatchObject({ code: 'USER_MISMATCH' });
  });

  it('delete own template without a token stays refused (the original let anyone delete)', async () => {
    const t = await buildTestApp({ apps: ['igemoji'], workers: false });
    const owner = await signupLogin(t, 'maker');
    const { id } = await createTemplate(t, owner, '내 이모지');
    // the page sends PUT /api/v1/emojis/delete/{id} without a token
    const anonymous = await t.app.inject({ method: 'PUT', url: `/api/v1/emojis/delete/${id}` });
    expect(anonymous.statusCode).toBe(401);
    expect(json(anonymous).error).toMatchObject({ code: 'TOKEN_NOT_FOUND' });
    expect((await t.app.inject({ url: `/api/v1/emojis/${id}` })).statusCode).toBe(200);
    const own = await t.app.inject({ method: 'PUT', url: `/api/v1/emojis/delete/${id}`, headers: owner.auth });
    expect([own.statusCode, json(own)]).toEqual([200, { id, active: false }]);
  });
});
