import { beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';
import { zodiacUser } from '../../../test/fixtures/zodiac.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['zodiac'] });
});

const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as never, headers });
const signup = (over: Record<string, string> = {}) =>
  post('/api/v1/users/', { username: 'tiger01', password: 'Passw0rd!', email: 'tiger@example.com', alias: '호랑이', ...over });
const fields = (res: { body: string }) => json<{ error: { fields: Record<string, string[]> } }>(res).error.fields;
const decode = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('users', () => {
  it('duplicate check: true when free, false when taken (case-insensitive), 400 for an unknown case', async () => {
    const check = async (c: string, v: string) => json(await t.app.inject({ url: `/api/users/?case=${c}&value=${encodeURIComponent(v)}` }));
    expect(await check('username', 'tiger01')).toEqual({ result: true });
    expect((await signup()).statusCode).toBe(201);
    expect(await check('username', 'TIGER01')).toEqual({ result: false });
    expect(await check('alias', '호랑이')).toEqual({ result: false });
    expect(await check('email', 'Tiger@Example.com')).toEqual({ result: false });
    expect(await check('email', 'other@example.com')).toEqual({ result: true });
    const bad = await t.app.inject({ url: '/api/v1/users/?case=phone&value=1' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error).toMatchObject({ code: 'INVALID_CASE' });
  });

  it('sign-up answers 201 {username, alias, uuid}, as JSON or form data, on both paths', async () => {
    const res = await signup();
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ username: 'tiger01', alias: '호랑이' });
    expect(json(res).uuid).toMatch(/^[0-9a-f-]{36}$/);
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: 'username=rabbit2&password=Passw0rd%21&email=r%40example.com&alias=Rabbit',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(201);
  });

  it('enforces the front end rules on the server, with its Korean messages', async () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ username: 'a' }, 'username', '아이디는 2글자 이상입니다.'],
      [{ username: 'abcdefghijk' }, 'username', '아이디는 최대 10글자입니다.'],
      [{ username: '1abc' }, 'username', '다시 입력해주세요. (영어, 숫자 조합)'],
      [{ username: 'ab cd' }, 'username', '다시 입력해주세요. (영어, 숫자 조합)'],
      [{ password: 'Pw0!' }, 'password', '비밀번호는 최소 8자리 이상입니다.'],
      [{ password: 'Passw0rd!Passw0rd!' }, 'password', '비밀번호는 최대 16자리입니다.'],
      [{ password: 'password1' }, 'password', '대,소문자, 숫자, 특수문자 중 3개 이상 포함해야합니다.'],
      [{ passwordConfirm: 'different!1' }, 'passwordConfirm', '비밀번호가 일치하지 않습니다.'],
      [{ alias: '호' }, 'alias', '닉네임은 2글자 이상입니다.'],
      [{ alias: '9lives' }, 'alias', '특수문자가 포함되면 안되고 숫자로 시작하면 안됩니다.'],
      [{ alias: '별@명' }, 'alias', '특수문자가 포함되면 안되고 숫자로 시작하면 안됩니다.'],
      [{ email: 'not-an-email' }, 'email', '올바른 이메일 형식이 아닙니다.'],
    ];
    for (const [over, field, msg] of cases) {
      const res = await signup(over);
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(fields(res)[field]).toEqual([msg]);
    }
    const missing = await post('/api/users/', {});
    expect(missing.statusCode).toBe(400);
    expect(Object.keys(fields(missing)).sort()).toEqual(['alias', 'email', 'password', 'username']);
  });

  it('duplicates are 409 naming the field (never a 500)', async () => {
    await signup();
    const dup = async (over: Record<string, string>, field: string, msg: string) => {
      const res = await signup({ username: 'other9', alias: '다른이', email: 'o@example.com', ...over });
      expect(res.statusCode).toBe(409);
      expect(json(res).error).toMatchObject({ code: 'USER_ALREADY_EXISTS' });
      expect(fields(res)[field]).toEqual([msg]);
    };
    await dup({ username: 'Tiger01' }, 'username', '이미 등록된 아이디 입니다.');
    await dup({ alias: '호랑이' }, 'alias', '이미 등록된 닉네임 입니다.');
    await dup({ email: 'TIGER@example.com' }, 'email', '이미 등록된 이메일 입니다.');
    const race = await Promise.all(Array.from({ length: 4 }, () => signup({ username: 'racer', alias: '경주', email: 'race@x.io' })));
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
  });

  it('login gives access + refresh tokens and the uuid; the token id claim is the uuid', async () => {
    await signup();
    const res = await post('/api/v1/users/auth', { username: 'tiger01', password: 'Passw0rd!' });
    expect(res.statusCode).toBe(200);
    const body = json<{ access_token: string; refresh_token: string; uuid: string }>(res);
    expect(decode(body.access_token)).toMatchObject({ id: body.uuid, alias: '호랑이', token_type: 'access', aud: 'zodiac' });
    for (const bad of [{ username: 'tiger01', password: 'wrong!123' }, { username: 'nobody', password: 'Passw0rd!' }]) {
      const r = await post('/api/users/auth', bad);
      expect(r.statusCode).toBe(400);
      expect(json(r)).toEqual({ error: { code: 'LOGIN_FAILED', message: '아이디 혹은 비밀번호를 확인해주세요.' } });
    }
    const empty = await post('/api/users/auth', { username: '', password: '' });
    expect(empty.statusCode).toBe(400);
  });

  it('refresh: the raw refresh token in the header (as the original) or the body; an access token there is refused', async () => {
    await signup();
    const first = json<{ access_token: string; refresh_token: string; uuid: string }>(
      await post('/api/users/auth', { username: 'tiger01', password: 'Passw0rd!' }),
    );
    const r1 = await post('/api/users/auth', undefined, { authorization: first.refresh_token });
    expect(r1.statusCode).toBe(200);
    const second = json<{ access_token: string; refresh_token: string; uuid: string }>(r1);
    expect(second.uuid).toBe(first.uuid);
    expect(decode(second.access_token)).toMatchObject({ id: first.uuid, token_type: 'access' });
    const r2 = await post('/api/v1/users/auth', { refresh_token: second.refresh_token });
    expect(r2.statusCode).toBe(200);
    const notRefresh = await post('/api/users/auth', undefined, { authorization: first.access_token });
    expect(notRefresh.statusCode).toBe(401);
    expect(json(notRefresh).error).toMatchObject({ code: 'NOT_REFRESH_TOKEN' });
    const garbage = await post('/api/users/auth', undefined, { authorization: 'Bearer nonsense' });
    expect(json(garbage).error).toMatchObject({ code: 'INVALID_TOKEN' });
    // the first refresh token was rotated away: presenting it again is refused
    expect((await post('/api/users/auth', undefined, { authorization: first.refresh_token })).statusCode).toBe(401);
  });
});

describe('the twelve animals and fortunes', () => {
  it('animallist and animalist: 12 animals in zodiac order with our texts, element, fortune and picture', async () => {
    for (const url of ['/api/v1/animals/animallist', '/api/v1/animals/animalist/', '/api/animals/animalist']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      const list = json<Array<Record<string, unknown>>>(res);
      expect(list.map((a) => a.name)).toEqual(['mouse', 'cow', 'tiger', 'rabbit', 'dragon', 'snake', 'horse', 'lamb', 'monkey', 'chicken', 'dog', 'pig']);
      expect(list[2]).toMatchObject({ id: 3, name_ko: '호랑이띠', element: '화성', great_url: '/api/v1/animals/images/tiger.svg' });
      for (const a of list) {
        expect((a.description as string).length).toBeGreaterThan(80);
        expect((a.fortune as string).length).toBeGreaterThan(20);
        expect((a.today as { lines: { total: string } }).lines.total.length).toBeGreaterThan(5);
      }
    }
    const svg = await t.app.inject({ url: '/api/v1/animals/images/dragon.svg' });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
    expect((await t.app.inject({ url: '/api/v1/animals/images/unicorn.svg' })).statusCode).toBe(404);
  });

  it('daily fortune: same for the same day, 400 for a bad date, 404 for an unknown animal', async () => {
    const a = json(await t.app.inject({ url: '/api/v1/animals/tiger/fortune?date=2026-05-05' }));
    const b = json(await t.app.inject({ url: '/api/v1/animals/tiger/fortune?date=2026-05-05' }));
    expect(a).toEqual(b);
    expect(a).toMatchObject({ date: '2026-05-05', name: 'tiger', name_ko: '호랑이띠' });
    expect(Object.keys(a.lines as object)).toEqual(['total', 'wealth', 'health', 'love']);
    const all = json<unknown[]>(await t.app.inject({ url: '/api/v1/animals/fortunes?date=2026-05-05' }));
    expect(all).toHaveLength(12);
    expect(all[2]).toEqual(a);
    expect((await t.app.inject({ url: '/api/v1/animals/tiger/fortune?date=2026-02-30' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/animals/unicorn/fortune' })).statusCode).toBe(404);
  });

  it('public rankings are 200 [] when there is nothing yet; challenges are listed', async () => {
    for (const url of ['/api/v1/animals/rank', '/api/statistics/ranking']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(json(res)).toEqual([]);
    }
    const ch = json<Array<{ id: number; content: string }>>(await t.app.inject({ url: '/api/challenges' }));
    expect(ch.map((c) => c.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ch[0]!.content).toBe('첫 번째 운세 확인!');
  });

  it('per-user paths need the token of that same user', async () => {
    const me = await zodiacUser(t);
    const other = await zodiacUser(t);
    expect((await t.app.inject({ url: `/api/users/${me.uuid}/challenges` })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `/api/users/${me.uuid}/challenges`, headers: me.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/users/${me.uuid}/challenges`, headers: { authorization: `Bearer ${me.access}` } })).statusCode).toBe(200);
    for (const url of [
      `/api/users/${me.uuid}/challenges`,
      `/api/users/${me.uuid}/pages/1`,
      `/api/trash/users/${me.uuid}/statistics`,
      `/api/trash/users/${me.uuid}/statistics/period/2026-01-01/2026-01-31`,
      `/api/v1/animals/user/${me.uuid}/mypage`,
      '/api/users/not-a-uuid/challenges',
    ]) {
      const res = await t.app.inject({ url, headers: other.auth });
      expect(res.statusCode, url).toBe(403);
      expect(json(res).error).toMatchObject({ code: 'USER_MISMATCH' });
    }
  });
});

describe('documentation', () => {
  it('the OpenAPI document lists the seed and original paths', async () => {
    const res = await t.app.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(json<{ paths: Record<string, unknown> }>(res).paths);
    for (const p of ['/api/users/', '/api/users/auth', '/api/challenges', '/api/statistics/ranking', '/api/users/{user_id}/results/tasks/{task_id}', '/api/trash/users/{user_id}/statistics/period/{from_date}/{to_date}', '/api/v1/animals/animalist']) {
      expect(paths, p).toContain(p);
    }
  });
});

describe('mounted beside other apps', () => {
  it('serves everything under /zodiac, and the URLs it hands out carry the prefix', async () => {
    await t.close();
    t = await buildTestApp({ apps: ['zodiac', 'auth'] });
    const res = await t.app.inject({ url: '/zodiac/api/v1/animals/animallist' });
    expect(res.statusCode).toBe(200);
    const tiger = json<Array<{ great_url: string }>>(res)[2]!;
    expect(tiger.great_url).toBe('/zodiac/api/v1/animals/images/tiger.svg');
    expect((await t.app.inject({ url: tiger.great_url })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/animals/animallist' })).statusCode).toBe(404);
  });
});
