import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, json, TEST_SECRET, type TestApp } from '../../../test/harness.js';
import { multipart } from '../../../test/multipart.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['auth'] });
});

const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as never, headers });
const form = (url: string, fields: Record<string, string>) => {
  const body = multipart(fields);
  return t.app.inject({ method: 'POST', url, payload: body.payload, headers: body.headers });
};
const signup = (username = 'testuser', password = 'testpassword', nickname = 'testnickname') =>
  post('/api/signup/', { username, password, nickname });
async function login(username = 'testuser', password = 'testpassword') {
  const res = await post('/api/login/', { username, password });
  expect(res.statusCode).toBe(200);
  return json<{ token: string; refresh: string }>(res);
}
function sign(claims: Record<string, unknown>, secret = TEST_SECRET, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }) {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const b = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = header.alg === 'none' ? '' : createHmac('sha256', secret).update(`${h}.${b}`).digest('base64url');
  return `${h}.${b}.${sig}`;
}
const decode = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('original pytest cases (docs/apps/auth.md §8)', () => {
  it('1. register success (multipart form, as the original tests)', async () => {
    const res = await form('/api/signup/', { username: 'testuser', password: 'testpassword', nickname: 'testnickname' });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toEqual({ username: 'testuser', nickname: 'testnickname' });
  });
  it('2. duplicate user is refused', async () => {
    await signup();
    const res = await signup();
    expect(res.statusCode).toBe(409);
    expect(json(res).error).toMatchObject({ code: 'USER_ALREADY_EXISTS', message: '이미 가입된 사용자입니다.' });
  });
  it('3. login success gives a token', async () => {
    await signup();
    const body = await login();
    expect(typeof body.token).toBe('string');
  });
  it('4. invalid credentials', async () => {
    const res = await post('/api/login/', { username: 'wronguser', password: 'wrongpassword' });
    expect(res.statusCode).toBe(401);
    expect(json(res)).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: '아이디 또는 비밀번호가 올바르지 않습니다.' } });
  });
  it('5. verify a valid token', async () => {
    await signup('testuser', 'testpass123', 'testnick');
    const { token } = await login('testuser', 'testpass123');
    const res = await post('/api/verify/', { token });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ message: '유효한 토큰입니다.' });
  });
  it('6. verify an invalid token', async () => {
    const res = await post('/api/verify/', { token: 'invalid_token' });
    expect(res.statusCode).toBe(401);
    expect(json(res).error).toMatchObject({ code: 'INVALID_TOKEN' });
  });
});

describe('sign-up', () => {
  it('README example; no password in the body; JSON content type', async () => {
    const res = await signup('JIN HO', '12341234', 'Mentos');
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(json(res)).toEqual({ username: 'JIN HO', nickname: 'Mentos' });
  });
  it('any number of users can sign up (the original failed on the second: email bug)', async () => {
    for (let i = 0; i < 5; i++) expect((await signup(`user${i}`, 'password1', `nick${i}`)).statusCode).toBe(201);
  });
  it('same nickname with another username is refused and names the field', async () => {
    await signup('a-user', 'password1', 'same');
    const res = await signup('b-user', 'password1', 'same');
    expect(res.statusCode).toBe(409);
    expect(json<{ error: { fields: Record<string, string[]> } }>(res).error.fields.nickname).toBeDefined();
  });
  it('urlencoded bodies and paths without the trailing slash work', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/signup',
      payload: 'username=form&password=formpass1&nickname=formnick',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(201);
  });
  it('missing, blank and too long fields → 400 VALIDATION_ERROR with Korean field messages', async () => {
    let res = await post('/api/signup/', {});
    expect(res.statusCode).toBe(400);
    expect(json(res)).toEqual({
      error: {
        code: 'VALIDATION_ERROR',
        message: '입력값이 올바르지 않습니다.',
        fields: { username: ['이 필드는 필수 항목입니다.'], password: ['이 필드는 필수 항목입니다.'], nickname: ['이 필드는 필수 항목입니다.'] },
      },
    });
    res = await post('/api/signup/', { username: '  ', password: 'password1', nickname: '' });
    expect(json<{ error: { fields: Record<string, string[]> } }>(res).error.fields).toEqual({
      username: ['이 필드는 비워 둘 수 없습니다.'],
      nickname: ['이 필드는 비워 둘 수 없습니다.'],
    });
    res = await post('/api/signup/', { username: 'x'.repeat(151), password: 'password1', nickname: 'y'.repeat(129) });
    expect(json<{ error: { fields: Record<string, string[]> } }>(res).error.fields).toEqual({
      username: ['이 필드의 글자 수가 150 이하인지 확인하십시오.'],
      nickname: ['이 필드의 글자 수가 128 이하인지 확인하십시오.'],
    });
  });
  it('English messages with Accept-Language: en', async () => {
    const res = await post('/api/signup/', {}, { 'accept-language': 'en-US,en;q=0.9' });
    expect(json<{ error: { message: string; fields: Record<string, string[]> } }>(res).error).toMatchObject({
      message: 'The input is not valid.',
      fields: { username: ['This field is required.'] },
    });
  });
  it('short password is refused; extra fields are ignored (no privilege fields)', async () => {
    expect((await signup('shortpw', '1234567', 'shortpw')).statusCode).toBe(400);
    const res = await post('/api/signup/', { username: 'extra', password: 'password1', nickname: 'extra', is_staff: true, id: 99 });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toEqual({ username: 'extra', nickname: 'extra' });
  });
  it('injection strings are stored and echoed literally', async () => {
    const evil = `'); DROP TABLE auth_users;-- <script>alert(1)</script>`;
    const res = await signup(evil, 'password1', '${process.exit()}');
    expect(res.statusCode).toBe(201);
    expect(json(res)).toEqual({ username: evil, nickname: '${process.exit()}' });
    const { token } = await login(evil, 'password1');
    const me = await t.app.inject({ url: '/api/me/', headers: { authorization: `Bearer ${token}` } });
    expect(json(me).username).toBe(evil);
  });
  it('concurrent duplicate sign-ups: exactly one wins, the rest 409 (never 500)', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => signup('racer', 'password1', 'racer')));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });
});

describe('bad input never reaches a 500', () => {
  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/login/', payload: '{"username": ', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toMatchObject({ code: 'MALFORMED_JSON' });
  });
  it('wrong content type → 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/login/', payload: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(415);
    expect(json(res).error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
  it('2 MB body → 413', async () => {
    const res = await post('/api/signup/', { username: 'x'.repeat(2 * 1024 * 1024), password: 'password1', nickname: 'n' });
    expect(res.statusCode).toBe(413);
    expect(json(res).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
  it('wrong types → 400', async () => {
    const res = await post('/api/login/', { username: ['a'], password: { $ne: 1 } });
    expect(res.statusCode).toBe(400);
  });
  it('unknown route → 404 NOT_FOUND; wrong method → 405 with Allow', async () => {
    const nf = await t.app.inject({ url: '/api/nope/' });
    expect(nf.statusCode).toBe(404);
    expect(json(nf).error).toMatchObject({ code: 'NOT_FOUND' });
    const ma = await t.app.inject({ url: '/api/signup/' });
    expect(ma.statusCode).toBe(405);
    expect(ma.headers.allow).toContain('POST');
    expect(json(ma).error).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
  });
  it('a stale Authorization header does not break public routes (docs/apps/auth.md §9.4)', async () => {
    await signup();
    const res = await post('/api/login/', { username: 'testuser', password: 'testpassword' }, { authorization: 'Bearer garbage' });
    expect(res.statusCode).toBe(200);
  });
});

describe('tokens', () => {
  it('access token claims follow simplejwt: HS256, token_type, int user_id, 32-hex jti, 30 min', async () => {
    await signup();
    const { token } = await login();
    const [h] = token.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const c = decode(token);
    expect(c.token_type).toBe('access');
    expect(Number.isInteger(c.user_id)).toBe(true);
    expect(c.jti).toMatch(/^[0-9a-f]{32}$/);
    expect((c.exp as number) - (c.iat as number)).toBe(1800);
    expect(c.aud).toBe('auth');
  });

  it('verify: missing, empty or null token → TOKEN_NOT_FOUND', async () => {
    for (const payload of [undefined, {}, { token: '' }, { token: null }]) {
      const res = await post('/api/verify/', payload);
      expect(res.statusCode).toBe(401);
      expect(json(res)).toEqual({ error: { code: 'TOKEN_NOT_FOUND', message: '토큰이 없습니다.' } });
    }
  });

  it('verify: the token from the header in every form the guard accepts (Bearer, Token, JWT, raw)', async () => {
    await signup();
    const { token } = await login();
    for (const authorization of [`Bearer ${token}`, `Token ${token}`, `token ${token}`, `JWT ${token}`, token]) {
      const res = await post('/api/verify/', undefined, { authorization });
      expect(res.statusCode, authorization.slice(0, 6)).toBe(200);
      expect(json(res)).toEqual({ message: '유효한 토큰입니다.' });
    }
    expect(json(await post('/api/verify/', undefined, { authorization: 'Token garbage' })).error).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(json(await post('/api/verify/', undefined, { authorization: 'Bearer' })).error).toMatchObject({ code: 'TOKEN_NOT_FOUND' });
  });

  it('verify: expired → TOKEN_EXPIRED; tampered → INVALID_TOKEN', async () => {
    await signup();
    const { token } = await login();
    const c = decode(token);
    const now = Math.floor(Date.now() / 1000);
    const expired = sign({ ...c, iat: now - 3600, exp: now - 60 });
    let res = await post('/api/verify/', { token: expired });
    expect(json(res)).toEqual({ error: { code: 'TOKEN_EXPIRED', message: '토큰이 만료되었습니다.' } });
    const cases = [
      sign(c, 'wrong-secret-wrong-secret-wrong-secret!!'),
      sign(c, TEST_SECRET, { alg: 'none', typ: 'JWT' }),
      sign({ ...c, aud: 'mealbuddy' }),
      sign({ ...c, user_id: undefined }),
      sign({ ...c, user_id: 999999 }),
      sign({ ...c, token_type: 'refresh' }),
      token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'),
      'a.b.c',
    ];
    for (const bad of cases) {
      res = await post('/api/verify/', { token: bad });
      expect(res.statusCode, bad).toBe(401);
      expect(json(res)).toEqual({ error: { code: 'INVALID_TOKEN', message: '토큰이 유효하지 않습니다.' } });
    }
  });

  it('GET /api/me/ guard: no header, expired, garbage → the three codes; Bearer, Token and raw accepted', async () => {
    await signup();
    const { token } = await login();
    const me = (authorization?: string) =>
      t.app.inject({ url: '/api/me/', headers: authorization ? { authorization } : {} });
    expect(json((await me()) as never).error).toMatchObject({ code: 'TOKEN_NOT_FOUND' });
    const c = decode(token);
    const now = Math.floor(Date.now() / 1000);
    expect(json(await me(`Bearer ${sign({ ...c, iat: now - 3600, exp: now - 1 })}`)).error).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(json(await me('Bearer garbage')).error).toMatchObject({ code: 'INVALID_TOKEN' });
    for (const h of [`Bearer ${token}`, `Token ${token}`, token]) {
      const res = await me(h);
      expect(res.statusCode).toBe(200);
      expect(json(res)).toMatchObject({ username: 'testuser', nickname: 'testnickname' });
      expect(json(res).last_login).not.toBeNull();
    }
  });

  it('refresh rotates; reusing a rotated refresh token revokes the whole family; logout revokes', async () => {
    await signup();
    const first = await login();
    let res = await post('/api/token/refresh/', { refresh: first.refresh });
    expect(res.statusCode).toBe(200);
    const second = json<{ token: string; refresh: string }>(res);
    expect(second.refresh).not.toBe(first.refresh);
    res = await post('/api/token/refresh/', { refresh: first.refresh });
    expect(res.statusCode).toBe(401);
    res = await post('/api/token/refresh/', { refresh: second.refresh });
    expect(res.statusCode).toBe(401);
    res = await t.app.inject({ url: '/api/me/', headers: { authorization: `Bearer ${second.token}` } });
    expect(res.statusCode).toBe(401);

    const third = await login();
    res = await post('/api/logout/', undefined, { authorization: `Bearer ${third.token}` });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/me/', headers: { authorization: `Bearer ${third.token}` } })).statusCode).toBe(401);
    expect((await post('/api/token/refresh/', { refresh: third.refresh })).statusCode).toBe(401);
    expect((await post('/api/verify/', { token: third.token })).statusCode).toBe(401);
  });

  it('an access token is not a refresh token and vice versa', async () => {
    await signup();
    const pair = await login();
    expect((await post('/api/token/refresh/', { refresh: pair.token })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/me/', headers: { authorization: `Bearer ${pair.refresh}` } })).statusCode).toBe(401);
  });
});

describe('NUL characters', () => {
  it('are refused with a field error, never reaching the database (JSON, form and multipart)', async () => {
    let res = await signup('nul\u0000user', 'password1', 'nick');
    expect(res.statusCode).toBe(400);
    expect(json<{ error: { fields: Record<string, string[]> } }>(res).error.fields.username).toEqual(['NUL 문자(\\u0000)는 사용할 수 없습니다.']);
    res = await t.app.inject({
      method: 'POST',
      url: '/api/login/',
      payload: 'username=a%00b&password=whatever1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(400);
    res = await form('/api/signup/', { username: 'm\u0000p', password: 'password1', nickname: 'mp' });
    expect(res.statusCode).toBe(400);
  });
});
