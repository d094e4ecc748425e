// Users: duplicate check, sign-up rules and conflicts, login, token check, refresh, my page rules.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';
import { multipart, PASSWORD, signupLogin } from '../../../test/fixtures/igemoji/helpers.js';

let t: TestApp;
beforeEach(async () => {
  await t?.close();
  t = await buildTestApp({ apps: ['igemoji'], workers: false });
});
afterAll(() => t?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers });

describe('sign-up and duplicate check', () => {
  it('answers result=true for a free email/alias and false once taken (email case-insensitive)', async () => {
    const free = await t.app.inject({ url: '/api/v1/users/?case=email&value=kim@example.com' });
    expect(json(free)).toEqual({ result: true });
    await signupLogin(t, 'kim', 'Kim@Example.com');
    expect(json(await t.app.inject({ url: '/api/v1/users/?case=email&value=kim@example.com' }))).toEqual({ result: false });
    expect(json(await t.app.inject({ url: '/api/v1/users/?case=alias&value=kim' }))).toEqual({ result: false });
    expect(json(await t.app.inject({ url: '/api/v1/users/?case=alias&value=lee' }))).toEqual({ result: true });
    const bad = await t.app.inject({ url: '/api/v1/users/?case=phone&value=1' });
    expect(bad.statusCode).toBe(400);
    expect(json<{ error: { code: string } }>(bad).error.code).toBe('INVALID_CASE');
  });

  it('accepts JSON and multipart, and answers 409 on a duplicate email or alias', async () => {
    const mp = multipart({ email: 'park@example.com', password: PASSWORD, alias: '박지성' });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users/', payload: mp.payload, headers: mp.headers });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({ email: 'park@example.com', alias: '박지성' });
    const dupEmail = await post('/api/v1/users/', { email: 'PARK@example.com', password: PASSWORD, alias: 'other' });
    expect(dupEmail.statusCode).toBe(409);
    expect(json<{ error: { fields: Record<string, string[]> } }>(dupEmail).error.fields.email).toEqual(['사용 중인 이메일 입니다.']);
    const dupAlias = await post('/api/v1/users/', { email: 'x@example.com', password: PASSWORD, alias: '박지성' });
    expect(dupAlias.statusCode).toBe(409);
    expect(json<{ error: { fields: Record<string, string[]> } }>(dupAlias).error.fields.alias).toBeDefined();
  });

  it('enforces the front end rules on the server', async () => {
    const res = await post('/api/v1/users/', { email: 'not-an-email', password: 'short', alias: 'bad alias!' });
    expect(res.statusCode).toBe(400);
    const body = json<{ error: { code: string; message: string; fields: Record<string, string[]> }; message: string }>(res);
    expect(Object.keys(body.error.fields).sort()).toEqual(['alias', 'email', 'password']);
    expect(body.error.fields.password).toEqual(['숫자+영문자+특수문자 조합으로 8자리 이상 입력해주세요!']);
    expect(body.message).toBe(body.error.message);
    const mismatch = await post('/api/v1/users/', { email: 'a@example.com', password: PASSWORD, password_confirm: 'other1!x', alias: 'a' });
    expect(json<{ error: { fields: Record<string, string[]> } }>(mismatch).error.fields.password_confirm).toEqual(['비밀번호가 일치하지 않습니다.']);
    const missing = await post('/api/v1/users/', { email: 'a@example.com' });
    expect(missing.statusCode).toBe(400);
  });
});

describe('login and tokens', () => {
  it('logs in, checks the token (raw or Bearer) and refreshes with rotation', async () => {
    const u = await signupLogin(t, 'choi');
    for (const authorization of [u.token, `Bearer ${u.token}`]) {
      const me = await t.app.inject({ url: '/api/v1/users/auth', headers: { authorization } });
      expect(me.statusCode).toBe(200);
      expect(json(me)).toMatchObject({ id: u.id, alias: 'choi', exp: expect.any(Number) });
    }
    const claims = JSON.parse(Buffer.from(u.token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ id: String(u.id), alias: 'choi' });
    const refreshed = await post('/api/v1/users/auth/refresh', { refresh_token: u.refresh });
    expect(refreshed.statusCode).toBe(200);
    expect(json(refreshed)).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String) });
    // the rotated refresh token is spent: presenting it again revokes the family
    expect((await post('/api/v1/users/auth/refresh', { refresh_token: u.refresh })).statusCode).toBe(401);
  });

  it('answers 401 for a missing, broken or expired token and 400 for bad credentials', async () => {
    await signupLogin(t, 'jung');
    const none = await t.app.inject({ url: '/api/v1/users/auth' });
    expect(none.statusCode).toBe(401);
    expect(json<{ error: { code: string } }>(none).error.code).toBe('TOKEN_NOT_FOUND');
    const broken = await t.app.inject({ url: '/api/v1/users/auth', headers: { authorization: 'abc.def.ghi' } });
    expect(json<{ error: { code: string } }>(broken).error.code).toBe('INVALID_TOKEN');
    const codec = t.container.core.identity.codec;
    const expired = codec.issue('igemoji', 'access', 1, 'sid', -10).token;
    const exp = await t.app.inject({ url: '/api/v1/users/auth', headers: { authorization: expired } });
    expect(json<{ error: { code: string } }>(exp).error.code).toBe('TOKEN_EXPIRED');
    const wrong = await post('/api/v1/users/auth', { email: 'jung@example.com', password: 'wrongpass1!' });
    expect(wrong.statusCode).toBe(400);
    expect(json<{ error: { code: string } }>(wrong).error.code).toBe('USER_NOT_EXIST');
    const unknown = await post('/api/v1/users/auth', { email: 'nobody@example.com', password: PASSWORD });
    expect(json<{ error: { code: string } }>(unknown).error.code).toBe('USER_NOT_EXIST');
    expect((await post('/api/v1/users/auth', { email: '', password: '' })).statusCode).toBe(400);
  });
});

describe('my page', () => {
  it('lists only my templates as an array in both forms, and refuses another user_id', async () => {
    const a = await signupLogin(t, 'aaa');
    const b = await signupLogin(t, 'bbb');
    const db = t.container.core.db;
    const { igemojiEmojis } = await import('./igemoji.table.js');
    await db.insert(igemojiEmojis).values([
      { userId: a.id, name: 'A1', images: Array(7).fill('twemoji:1f610') },
      { userId: b.id, name: 'B1', images: Array(7).fill('twemoji:1f610') },
    ]);
    for (const url of ['/api/v1/users/mypage/?case=2', '/api/v1/users/mypage/upload']) {
      const res = await t.app.inject({ url, headers: a.auth });
      expect(res.statusCode, res.body).toBe(200);
      expect(json<Array<{ name: string; total: number }>>(res).map((r) => [r.name, r.total])).toEqual([['A1', 1]]);
      expect(res.headers['x-total-count']).toBe('1');
    }
    for (const url of ['/api/v1/users/mypage/?case=1', '/api/v1/users/mypage/result']) {
      expect(json(await t.app.inject({ url, headers: a.auth }))).toEqual([]);
    }
    const other = await t.app.inject({ url: `/api/v1/users/mypage/?case=2&user_id=${b.id}`, headers: a.auth });
    expect(other.statusCode).toBe(403);
    expect(json<{ error: { code: string } }>(other).error.code).toBe('USER_MISMATCH');
    expect((await t.app.inject({ url: '/api/v1/users/mypage/?case=3', headers: a.auth })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/users/mypage/?case=1' })).statusCode).toBe(401);
  });
});

describe('mounted beside other apps', () => {
  it('serves every path and every URL it hands out under /igemoji', async () => {
    await t.close();
    t = await buildTestApp({ apps: ['igemoji', 'auth'], workers: false });
    const page = await t.app.inject({ url: '/igemoji/api/v1/emojis/pages/1' });
    expect(page.statusCode).toBe(200);
    const first = json<Array<{ image: string[] }>>(page)[0]!;
    expect(first.image[0]).toMatch(/^\/igemoji\/api\/v1\/emojis\/\d+\/images\/neutral\.png$/);
    expect((await t.app.inject({ url: first.image[0]! })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/emojis/pages/1' })).statusCode).toBe(404);
  });
});
