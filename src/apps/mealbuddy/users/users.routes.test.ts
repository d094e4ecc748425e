import { pbkdf2Sync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { rowsOf } from '../../../core/db/client.js';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { ADDRESS, body, mb, PASSWORD } from '../../../../test/e2e/mealbuddy-helpers.js';

let t: TestApp;
let api: ReturnType<typeof mb>;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['mealbuddy'] });
  api = mb(t.app);
});

const reg = (fields: Record<string, unknown>) => api.call('POST', '/api/user/register/', undefined, fields);
const full = { email: 'Alice@Example.COM', username: 'alice', password: PASSWORD, password2: PASSWORD, address: ADDRESS };

describe('register', () => {
  it('201 {"user": {username, email, address, token, id}} from a multipart form; whole email lower-cased', async () => {
    const res = await api.form('/api/user/register/', full as Record<string, string>);
    expect(res.statusCode).toBe(201);
    const u = body<{ user: Record<string, unknown> }>(res).user;
    expect(Object.keys(u).sort()).toEqual(['address', 'email', 'id', 'token', 'username']);
    expect(u).toMatchObject({ username: 'alice', email: 'alice@example.com', address: ADDRESS });
    expect(typeof u.id).toBe('number');
    expect(typeof u.token).toBe('string');
  });

  it('required fields: 400 with every field, mirrored under "errors" for the original page', async () => {
    const res = await reg({});
    expect(res.statusCode).toBe(400);
    const b = body<{ error: { code: string; fields: Record<string, string[]> }; errors: Record<string, string[]> }>(res);
    expect(b.error.code).toBe('VALIDATION_ERROR');
    for (const f of ['email', 'username', 'password', 'password2', 'address']) expect(b.error.fields[f]).toEqual(['이 필드는 필수 항목입니다.']);
    expect(b.errors).toEqual(b.error.fields);
  });

  it('bad email, short password, mismatch keyed "password"', async () => {
    expect(body<{ error: { fields: Record<string, string[]> } }>(await reg({ ...full, email: 'nope' })).error.fields.email).toEqual(['유효한 이메일 주소를 입력하십시오.']);
    const short = await reg({ ...full, password: 'short', password2: 'short' });
    expect(body<{ error: { fields: Record<string, string[]> } }>(short).error.fields.password?.[0]).toContain('8');
    const mismatch = await reg({ ...full, password2: 'another-password' });
    expect(mismatch.statusCode).toBe(400);
    expect(body<{ error: { fields: Record<string, string[]> } }>(mismatch).error.fields).toEqual({ password: ['비밀번호가 서로 다릅니다.'] });
  });

  it('one password policy: common and all-digit passwords are refused at registration too', async () => {
    const res = await reg({ ...full, password: '12345678', password2: '12345678' });
    expect(body<{ error: { fields: Record<string, string[]> } }>(res).error.fields.password).toEqual(['비밀번호가 너무 일상적인 단어입니다.', '비밀번호가 전부 숫자로 되어 있습니다.']);
  });

  it('duplicates: 409 with the original messages; case variants of an email collide', async () => {
    expect((await reg(full)).statusCode).toBe(201);
    const dupEmail = await reg({ ...full, email: 'ALICE@example.com', username: 'other' });
    expect(dupEmail.statusCode).toBe(409);
    expect(body<{ error: { fields: Record<string, string[]> } }>(dupEmail).error.fields).toEqual({ email: ['user의 email은/는 이미 존재합니다.'] });
    const dupName = await reg({ ...full, email: 'b@example.com' });
    expect(body<{ error: { fields: Record<string, string[]> } }>(dupName).error.fields).toEqual({ username: ['user의 username은/는 이미 존재합니다.'] });
  });

  it('optional location: stored as a pair; one coordinate alone or outside Korea is refused', async () => {
    expect(body<{ error: { fields: object } }>(await reg({ ...full, lat: 37.5 })).error.fields).toEqual({ lon: ['이 필드는 필수 항목입니다.'] });
    expect((await reg({ ...full, lat: 10, lon: 10 })).statusCode).toBe(400);
    expect((await api.form('/api/user/register/', { ...full, lat: '37.5665', lon: '126.978' } as Record<string, string>)).statusCode).toBe(201);
  });

  it('a stale Authorization header does not break the public routes (docs/apps/mealbuddy.md §11.7)', async () => {
    const res = await api.call('POST', '/api/user/register/', 'garbage.token.here', full);
    expect(res.statusCode).toBe(201);
  });
});

describe('login / current / update', () => {
  it('login by email in any case; {"user": …, token}; wrong password, unknown email → 401', async () => {
    const u = await api.register('bob');
    const ok = await api.form('/api/user/login/', { email: 'BOB@EXAMPLE.COM', password: PASSWORD });
    expect(ok.statusCode).toBe(200);
    expect(body<{ user: Record<string, unknown> }>(ok).user).toMatchObject({ id: u.id, username: 'bob', email: 'bob@example.com', address: ADDRESS });
    for (const bad of [{ email: 'bob@example.com', password: 'wrong-password' }, { email: 'who@example.com', password: PASSWORD }]) {
      const res = await api.call('POST', '/api/user/login/', undefined, bad);
      expect(res.statusCode).toBe(401);
      expect(body<{ error: { code: string; message: string } }>(res).error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '이메일이나 패스워드가 올바르지 않습니다.' });
    }
    expect((await api.call('POST', '/api/user/login/', undefined, {})).statusCode).toBe(400);
  });

  it('current: fresh token every call, `Token` and `Bearer` both accepted, none → 401', async () => {
    const u = await api.register('carol');
    const a = await api.call('GET', '/api/user/current/', u.token);
    expect(a.statusCode).toBe(200);
    const token2 = body<{ user: { token: string } }>(a).user.token;
    expect(token2).not.toBe(u.token);
    const b = await api.call('GET', '/api/user/current/', undefined, undefined, { authorization: `Bearer ${token2}` });
    expect(b.statusCode).toBe(200);
    expect(body<{ user: Record<string, unknown> }>(b).user).toMatchObject({ id: u.id, email: 'carol@example.com', username: 'carol', address: ADDRESS });
    expect((await api.call('GET', '/api/user/current/')).statusCode).toBe(401);
    expect((await api.call('GET', '/api/user/current/', 'not-a-jwt')).statusCode).toBe(401);
  });

  it('login: the user row (last_login) and the new session are written by one transaction, and nothing after it', async () => {
    // one commit per login: on the embedded database each commit is an fsync that holds the event
    // loop (docs/performance.md). Rows written by one transaction share its id (xmin); a later
    // write of either row (the session extended by the token reissued after the login) changes it.
    await api.register('lena');
    const res = await api.form('/api/user/login/', { email: 'lena@example.com', password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const { token, id } = body<{ user: { token: string; id: number } }>(res).user;
    const sid = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
    const xmin = async (q: ReturnType<typeof sql>) => rowsOf<{ x: string }>(await t.container.core.db.execute(q))[0]!.x;
    const userTx = await xmin(sql`select xmin::text as x from mealbuddy_users where id = ${id} and last_login is not null`);
    const sessionTx = await xmin(sql`select xmin::text as x from core_sessions where id = ${sid}`);
    expect(sessionTx).toBe(userTx);
  });

  it('login with a password hash imported from Django: rehashed to argon2id with last_login and the session, in one statement', async () => {
    const u = await api.register('ivan');
    const salt = 'importedsalt';
    const django = `pbkdf2_sha256$1000$${salt}$${pbkdf2Sync(PASSWORD, salt, 1000, 32, 'sha256').toString('base64')}`;
    await t.container.core.db.execute(sql`update mealbuddy_users set password_hash = ${django}, last_login = null where id = ${u.id}`);
    const res = await api.form('/api/user/login/', { email: 'ivan@example.com', password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const sid = (JSON.parse(Buffer.from(body<{ user: { token: string } }>(res).user.token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
    const [row] = rowsOf<{ password_hash: string; last_login: unknown; x: string }>(
      await t.container.core.db.execute(sql`select password_hash, last_login, xmin::text as x from mealbuddy_users where id = ${u.id}`),
    );
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    expect(row!.last_login).not.toBeNull();
    const [session] = rowsOf<{ x: string }>(await t.container.core.db.execute(sql`select xmin::text as x from core_sessions where id = ${sid}`));
    expect(session!.x).toBe(row!.x);
    expect((await api.form('/api/user/login/', { email: 'ivan@example.com', password: PASSWORD })).statusCode).toBe(200);
  });

  it('current: the session row outlives the newest token; calls within the next minutes do not write it again', async () => {
    const u = await api.register('cecil');
    const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string; exp: number };
    const expiresAt = async (sid: string) =>
      new Date(rowsOf<{ expires_at: string | Date }>(await t.container.core.db.execute(sql`select expires_at from core_sessions where id = ${sid}`))[0]!.expires_at).getTime() / 1000;
    const sid = claims(u.token).sid;
    const first = claims(body<{ user: { token: string } }>(await api.call('GET', '/api/user/current/', u.token)).user.token);
    expect(first.sid).toBe(sid);
    expect(await expiresAt(sid)).toBeGreaterThanOrEqual(first.exp);
    // the row was extended ahead of the token: a burst of calls right after leaves it alone (marked to tell)
    await t.container.core.db.execute(sql`update core_sessions set expires_at = '2000-01-01T00:00:00Z' where id = ${sid}`);
    const burst = await Promise.all(Array.from({ length: 10 }, () => api.call('GET', '/api/user/current/', u.token)));
    expect(burst.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(await expiresAt(sid)).toBe(Date.parse('2000-01-01T00:00:00Z') / 1000);
  });

  it('current: one answer per session and second; the next second a new token; a renamed user at once', async () => {
    const u = await api.register('cindy');
    const other = body<{ user: { token: string } }>(await api.form('/api/user/login/', { email: 'cindy@example.com', password: PASSWORD })).user.token;
    const current = async (token: string) => {
      const res = await api.call('GET', '/api/user/current/', token);
      expect(res.statusCode).toBe(200);
      return body<{ user: { token: string; username: string } }>(res).user;
    };
    const second = Math.ceil(Date.now() / 1000) * 1000;
    vi.useFakeTimers({ toFake: ['Date'], now: second + 100 });
    try {
      const a = await current(u.token);
      vi.setSystemTime(second + 900);
      const [b, c] = await Promise.all([current(u.token), current(u.token)]);
      expect(b).toEqual(a);
      expect(c).toEqual(a);
      // another session of the same user gets its own token
      const d = await current(other);
      expect(d.token).not.toBe(a.token);
      vi.setSystemTime(second + 1000);
      const e = await current(u.token);
      expect(e.token).not.toBe(a.token);
      const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; sid: string };
      expect(claims(e.token).iat).toBe(claims(a.token).iat + 1);
      expect(claims(e.token).sid).toBe(claims(a.token).sid);
      expect((await api.form('/api/user/update/', { username: 'cindy2' }, u.token)).statusCode).toBe(200);
      expect((await current(u.token)).username).toBe('cindy2');
    } finally {
      vi.useRealTimers();
    }
  });

  it('update: unwrapped user with token; username/address only; email and password refused', async () => {
    const u = await api.register('dave');
    await api.register('erin');
    const res = await api.form('/api/user/update/', { username: 'dave2', address: '서울특별시 종로구 청운효자동' }, u.token);
    expect(res.statusCode).toBe(200);
    expect(body(res)).toMatchObject({ id: u.id, username: 'dave2', address: '서울특별시 종로구 청운효자동', email: 'dave@example.com' });
    expect(typeof body(res).token).toBe('string');
    const refused = await api.call('POST', '/api/user/update/', u.token, { email: 'x@example.com', password: 'new-password-1' });
    expect(refused.statusCode).toBe(400);
    expect(Object.keys(body<{ error: { fields: object } }>(refused).error.fields).sort()).toEqual(['email', 'password']);
    const taken = await api.call('POST', '/api/user/update/', u.token, { username: 'erin' });
    expect(taken.statusCode).toBe(409);
    expect((await api.call('POST', '/api/user/update/', undefined, { username: 'x' })).statusCode).toBe(401);
  });
});

describe('change password / delete', () => {
  it('validation order of the original, then success revokes old tokens', async () => {
    const u = await api.register('frank');
    const change = (f: Record<string, string>) => api.form('/api/user/changepassword/', f, u.token);
    // refusals keep the original's bare field map, which the original page renders (docs/apps/mealbuddy.md §10)
    const fieldsOf = async (f: Record<string, string>) => body<Record<string, string[]>>(await change(f));
    expect(Object.keys(await fieldsOf({})).sort()).toEqual(['current_password', 'new_password1', 'new_password2']);
    expect(await fieldsOf({ current_password: PASSWORD, new_password1: '1234567', new_password2: '1234567' })).toEqual({
      new_password1: ['이 필드의 글자 수가 적어도 8 이상인지 확인하십시오.', '비밀번호가 전부 숫자로 되어 있습니다.'],
    });
    expect(await fieldsOf({ current_password: PASSWORD, new_password1: 'brand-new-pass', new_password2: 'other-new-pass' })).toEqual({ new_password1: ['패스워드가 서로 다릅니다.'] });
    expect(await fieldsOf({ current_password: PASSWORD, new_password1: PASSWORD, new_password2: PASSWORD })).toEqual({ new_password1: ['이전과 동일한 패스워드를 사용할 수 없습니다.'] });
    const wrong = await change({ current_password: 'not-my-password', new_password1: 'brand-new-pass', new_password2: 'brand-new-pass' });
    expect(wrong.statusCode).toBe(400);
    expect(body(wrong)).toEqual({ error: ['현재 암호가 올바르지 않습니다.'] });
    const ok = await change({ current_password: PASSWORD, new_password1: 'brand-new-pass', new_password2: 'brand-new-pass' });
    expect(ok.statusCode).toBe(200);
    expect(body(ok)).toEqual({ message: '비밀번호 변경 성공' });
    expect((await api.call('GET', '/api/user/current/', u.token)).statusCode).toBe(401);
    expect((await api.call('POST', '/api/user/login/', undefined, { email: u.email, password: 'brand-new-pass' })).statusCode).toBe(200);
  });

  it('soft delete needs the password; then no login, no token; content stays; email stays taken', async () => {
    const u = await api.register('gina');
    const post = await api.write(u);
    const other = await api.register('hank');
    expect((await api.form('/api/user/delete/', {}, u.token)).statusCode).toBe(401);
    const wrong = await api.form('/api/user/delete/', { password: 'wrong-password' }, u.token);
    expect(wrong.statusCode).toBe(401);
    expect(body(wrong)).toBe('유효하지 않은 유저정보 입니다.');
    const ok = await api.form('/api/user/delete/', { password: PASSWORD }, u.token);
    expect(ok.statusCode).toBe(204);
    expect(ok.body).toBe('');
    expect((await api.call('GET', '/api/user/current/', u.token)).statusCode).toBe(401);
    expect((await api.call('POST', '/api/user/login/', undefined, { email: u.email, password: PASSWORD })).statusCode).toBe(401);
    expect((await reg({ ...full, email: u.email, username: 'new' })).statusCode).toBe(409);
    const detail = await api.call('GET', `/api/post/detail/${post.id}/`, other.token);
    expect(detail.statusCode).toBe(200);
    expect(body<{ writer: { username: string } }>(detail).writer.username).toBe('gina');
  });
});
