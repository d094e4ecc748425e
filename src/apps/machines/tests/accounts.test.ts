import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, json, TEST_SECRET, type TestApp } from '../../../../test/harness.js';
import { http, signUp, type Body } from './helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['machines'] });
});

const cookiesOf = (res: { headers: Record<string, unknown> }) => {
  const raw = res.headers['set-cookie'];
  return (Array.isArray(raw) ? raw : raw ? [raw] : []) as string[];
};
const cookieHeader = (set: string[]) => set.map((c) => c.split(';')[0]).join('; ');
const decode = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
function sign(claims: Record<string, unknown>) {
  const h = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const b = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${h}.${b}.${createHmac('sha256', TEST_SECRET).update(`${h}.${b}`).digest('base64url')}`;
}

describe('sign-up (docs/apps/machines.md §3.1, §9.4)', () => {
  it('201 envelope with user and tokens; HttpOnly SameSite cookies; privilege flags ignored', async () => {
    const res = await http(t).post('/api/sign-up/', {
      username: 'u1', password: 'password1', email: 'u1@example.com', first_name: 'F', last_name: 'L',
      is_superuser: true, is_staff: true, is_active: false, groups: [], user_permissions: [1],
    });
    expect(res.statusCode).toBe(201);
    const body = json<{ status: number; result: { user: Record<string, unknown>; token: { access: string; refresh: string } } }>(res);
    expect(body.status).toBe(1);
    expect(Object.keys(body.result.user)).toEqual([
      'id', 'last_login', 'username', 'email', 'is_staff', 'is_active', 'is_superuser', 'first_name', 'last_name',
      'date_joined', 'groups', 'user_permissions',
    ]);
    expect(body.result.user).toMatchObject({ username: 'u1', is_staff: false, is_superuser: false, is_active: true, first_name: 'F', groups: [] });
    expect(body.result.user).not.toHaveProperty('password');
    const claims = decode(body.result.token.access);
    expect(claims).toMatchObject({ token_type: 'access', user_id: body.result.user.id, aud: 'machines' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(1800);
    const r = decode(body.result.token.refresh);
    expect((r.exp as number) - (r.iat as number)).toBe(86400);
    const cookies = cookiesOf(res);
    expect(cookies).toHaveLength(2);
    for (const c of cookies) expect(c).toMatch(/HttpOnly; SameSite=Lax/);
    expect(cookies[0]).toMatch(/^access=/);
  });

  it('duplicate username/email (case-insensitive) → 400 code 2 with both fields', async () => {
    await signUp(t, 'dup');
    const res = await http(t).post('/api/sign-up/', { username: 'DUP', password: 'password1', email: 'Dup@example.com' });
    expect(res.statusCode).toBe(400);
    const body = json<Body>(res);
    expect(body).toMatchObject({ status: 0, error_code: 2, error: { code: 'VALIDATION_ERROR' } });
    expect(body.message).toEqual({ username: ['accounts의 username은/는 이미 존재합니다.'], email: ['accounts의 email은/는 이미 존재합니다.'] });
  });

  it('missing fields, bad email, too long → 400 with DRF messages', async () => {
    let res = await http(t).post('/api/sign-up/', {});
    expect(json<Body>(res).message).toEqual({
      username: ['이 필드는 필수 항목입니다.'], password: ['이 필드는 필수 항목입니다.'], email: ['이 필드는 필수 항목입니다.'],
    });
    res = await http(t).post('/api/sign-up/', { username: 'x', password: 'password1', email: 'nope', first_name: 'f'.repeat(31) });
    expect(json<Body>(res).message).toEqual({
      email: ['유효한 이메일 주소를 입력하십시오.'],
      first_name: ['이 필드의 글자 수가 30 이하인지 확인하십시오.'],
    });
  });

  it('concurrent identical sign-ups: one 201, the rest 400, never 500', async () => {
    const all = await Promise.all(
      Array.from({ length: 5 }, () => http(t).post('/api/sign-up/', { username: 'race', password: 'password1', email: 'race@example.com' })),
    );
    expect(all.map((r) => r.statusCode).sort()).toEqual([201, 400, 400, 400, 400]);
  });
});

describe('log-in (docs/apps/machines.md §3.2, §3.3)', () => {
  it('POST: 200 with user (last_login set) and tokens; wrong password → 401 code 3', async () => {
    await signUp(t, 'li');
    let res = await http(t).post('/api/log-in/', { username: 'li', password: 'password1' });
    expect(res.statusCode).toBe(200);
    const body = json<{ result: { user: { last_login: string | null } } }>(res);
    expect(body.result.user.last_login).not.toBeNull();
    res = await http(t).post('/api/log-in/', { username: 'li', password: 'wrong-password' });
    expect(res.statusCode).toBe(401);
    expect(json<Body>(res)).toMatchObject({
      status: 0, error_code: 3, message: '지정된 자격 증명에 해당하는 활성화된 사용자를 찾을 수 없습니다',
    });
    res = await http(t).post('/api/log-in/', {});
    expect(res.statusCode).toBe(400);
    expect(json<Body>(res).message).toEqual({ username: ['이 필드는 필수 항목입니다.'], password: ['이 필드는 필수 항목입니다.'] });
  });

  it('GET: cookie → user; no cookie → 401; expired access + refresh cookie → 200 and new HttpOnly cookies', async () => {
    await signUp(t, 'ck');
    const login = await http(t).post('/api/log-in/', { username: 'ck', password: 'password1' });
    const cookie = cookieHeader(cookiesOf(login));
    let res = await http(t).call('GET', '/api/log-in/', undefined, undefined, { cookie });
    expect(res.statusCode).toBe(200);
    expect(json<{ result: { username: string } }>(res).result.username).toBe('ck');

    res = await http(t).get('/api/log-in/');
    expect(res.statusCode).toBe(401);
    expect(json<Body>(res)).toMatchObject({ error_code: 3, message: '자격 인증데이터(authentication credentials)가 제공되지 않았습니다.' });

    const access = json<{ result: { token: { access: string; refresh: string } } }>(login).result.token;
    const now = Math.floor(Date.now() / 1000);
    const expired = sign({ ...decode(access.access), iat: now - 4000, exp: now - 10 });
    res = await http(t).call('GET', '/api/log-in/', undefined, undefined, { cookie: `access=${expired}; refresh=${access.refresh}` });
    expect(res.statusCode).toBe(200);
    const renewed = cookiesOf(res);
    expect(renewed).toHaveLength(2);
    for (const c of renewed) expect(c).toContain('HttpOnly');

    res = await http(t).call('GET', '/api/log-in/', undefined, undefined, { cookie: `access=${expired}` });
    expect(res.statusCode).toBe(401);
    res = await http(t).call('GET', '/api/log-in/', undefined, undefined, { cookie: `access=${expired}; refresh=garbage` });
    expect(res.statusCode).toBe(401);
  });

  it('the README path /api/sign-in/ is an alias', async () => {
    await signUp(t, 'alias');
    const res = await http(t).post('/api/sign-in/', { username: 'alias', password: 'password1' });
    expect(res.statusCode).toBe(200);
  });
});

describe('tokens, refresh and logout (docs/apps/machines.md §4, §9.13)', () => {
  it('no header, garbage, expired and refresh tokens → 401 with WWW-Authenticate; raw token accepted', async () => {
    const c = await signUp(t);
    let res = await http(t).get('/api/machines/');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBeDefined();
    expect(json<Body>(res)).toMatchObject({ status: 0, error_code: 3, message: '자격 인증데이터(authentication credentials)가 제공되지 않았습니다.' });
    res = await http(t).get('/api/machines/', 'garbage');
    expect(json<Body>(res).error?.code).toBe('INVALID_TOKEN');
    const now = Math.floor(Date.now() / 1000);
    res = await http(t).get('/api/machines/', sign({ ...decode(c.token), iat: now - 4000, exp: now - 1 }));
    expect(json<Body>(res).error?.code).toBe('TOKEN_EXPIRED');
    res = await http(t).get('/api/machines/', c.refresh);
    expect(res.statusCode).toBe(401);
    res = await http(t).call('GET', '/api/machines/', undefined, undefined, { authorization: c.token });
    expect(res.statusCode).toBe(200);
  });

  it('refresh rotates; logout → 202 "logout success", cookies cleared, session revoked', async () => {
    const c = await signUp(t);
    let res = await http(t).post('/api/token/refresh/', { refresh: c.refresh });
    expect(res.statusCode).toBe(200);
    const pair = json<{ result: { access: string; refresh: string } }>(res).result;
    expect((await http(t).post('/api/token/refresh/', { refresh: c.refresh })).statusCode).toBe(401);
    const again = await http(t).post('/api/log-in/', { username: c.username, password: 'password1' });
    const token = json<{ result: { token: { access: string } } }>(again).result.token.access;
    res = await http(t).post('/api/log-out/', undefined, token);
    expect(res.statusCode).toBe(202);
    expect(json(res)).toEqual({ status: 1, result: { message: 'logout success' } });
    for (const cookie of cookiesOf(res)) expect(cookie).toContain('Max-Age=0');
    expect((await http(t).get('/api/machines/', token)).statusCode).toBe(401);
    expect(pair.access).not.toBe(c.token);
    expect((await http(t).post('/api/log-out/')).statusCode).toBe(202);
  });
});
