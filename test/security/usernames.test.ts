// issue 15 #5: look-alike usernames (zero-width, bidi, Hangul filler, tag, combining) were separate
// accounts in auth and machines. Through HTTP, each look-alike of a taken name is now refused with
// 400 INVALID_USERNAME in every app where people choose a username, and never becomes an account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOK_ALIKES } from './look-alikes.js';
import { buildTestApp, json, type TestApp } from '../harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ apps: ['auth', 'machines', 'mealbuddy'], workers: false });
}, 120_000);
afterAll(() => t?.close());

const post = (url: string, payload: Record<string, unknown>, token?: string) =>
  t.app.inject({ method: 'POST', url, payload, headers: token ? { authorization: `Token ${token}` } : {} });

const SIGN_UP: Record<string, (name: string, i: number) => Promise<{ statusCode: number; body: string }>> = {
  auth: (name, i) => post('/auth/api/signup/', { username: name, password: 'password-123', nickname: `nick${i}` }),
  machines: (name, i) => post('/machines/api/sign-up/', { username: name, password: 'password-123', email: `m${i}@example.com` }),
  mealbuddy: (name, i) =>
    post('/mealbuddy/api/user/register/', { username: name, email: `mb${i}@example.com`, password: 'Passw0rd!23', password2: 'Passw0rd!23', address: '서울특별시 종로구 청운효자동' }),
};

describe.each(Object.keys(SIGN_UP))('%s sign-up', (app) => {
  it('refuses every look-alike of a taken name with 400 INVALID_USERNAME', async () => {
    const signUp = SIGN_UP[app]!;
    expect((await signUp('alice', 0)).statusCode).toBe(201);
    let i = 1;
    for (const [what, name] of Object.entries(LOOK_ALIKES)) {
      const res = await signUp(name, i++);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
      expect(res.body, what).toContain('username');
    }
    // the full-width form is the same name after NFKC: taken (machines answers 400 as its original), not a second account
    const fullWidth = await signUp('ａｌｉｃｅ', i++);
    expect(fullWidth.statusCode).toBe(app === 'machines' ? 400 : 409);
    expect(fullWidth.body).not.toContain('INVALID_USERNAME');
    expect((await signUp('JIN HO', i++)).statusCode).toBe(201);
  });
});

it('mealbuddy: renaming yourself to a look-alike is refused too', async () => {
  const reg = await post('/mealbuddy/api/user/register/', { username: 'renamer', email: 'renamer@example.com', password: 'Passw0rd!23', password2: 'Passw0rd!23', address: '서울특별시 종로구 청운효자동' });
  const token = json<{ user: { token: string } }>(reg).user.token;
  for (const [what, name] of Object.entries(LOOK_ALIKES)) {
    const res = await post('/mealbuddy/api/user/update/', { username: name }, token);
    expect(res.statusCode, what).toBe(400);
  }
  expect((await post('/mealbuddy/api/user/update/', { username: 'renamed' }, token)).statusCode).toBe(200);
});
