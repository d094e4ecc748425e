// issue 15 #10: zodiac and igemoji had no logout. Now a logout revokes the login: the access token
// is refused at once and its refresh token no longer renews it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeAnalyzer } from '../fakes/fake-analyzer.js';
import { buildTestApp, json, type TestApp } from '../harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ apps: ['zodiac', 'igemoji'], workers: false, analyzer: new FakeAnalyzer() });
}, 120_000);
afterAll(() => t?.close());

it('zodiac: POST /api/users/auth/logout (and /api/v1/…) revokes access and refresh tokens', async () => {
  expect((await t.app.inject({ method: 'POST', url: '/zodiac/api/users/', payload: { username: 'leaver', password: 'Passw0rd!', email: 'leaver@example.com', alias: 'leaver' } })).statusCode).toBe(201);
  for (const url of ['/zodiac/api/users/auth/logout', '/zodiac/api/v1/users/auth/logout']) {
    const login = json<{ access_token: string; refresh_token: string; uuid: string }>(
      await t.app.inject({ method: 'POST', url: '/zodiac/api/users/auth', payload: { username: 'leaver', password: 'Passw0rd!' } }),
    );
    const mine = () => t.app.inject({ url: `/zodiac/api/users/${login.uuid}/challenges`, headers: { authorization: login.access_token } });
    expect((await mine()).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url, headers: { authorization: login.access_token } });
    expect(out.statusCode).toBe(200);
    expect(json<{ message: string }>(out).message).toBe('로그아웃되었습니다.');
    expect((await mine()).statusCode).toBe(401);
    const refresh = await t.app.inject({ method: 'POST', url: '/zodiac/api/users/auth', payload: { refresh_token: login.refresh_token } });
    expect(refresh.statusCode).toBeGreaterThanOrEqual(400);
    expect(refresh.statusCode).toBeLessThan(500);
  }
  expect((await t.app.inject({ method: 'POST', url: '/zodiac/api/users/auth/logout' })).statusCode).toBe(401);
});

it('igemoji: POST /api/v1/users/auth/logout revokes access and refresh tokens', async () => {
  expect((await t.app.inject({ method: 'POST', url: '/igemoji/api/v1/users/', payload: { email: 'leaver@example.com', password: 'Passw0rd!1', alias: 'leaver' } })).statusCode).toBe(201);
  const login = json<{ access_token: string; refresh_token: string }>(
    await t.app.inject({ method: 'POST', url: '/igemoji/api/v1/users/auth', payload: { email: 'leaver@example.com', password: 'Passw0rd!1' } }),
  );
  const whoami = () => t.app.inject({ url: '/igemoji/api/v1/users/auth', headers: { authorization: login.access_token } });
  expect((await whoami()).statusCode).toBe(200);
  expect((await t.app.inject({ method: 'POST', url: '/igemoji/api/v1/users/auth/logout', headers: { authorization: login.access_token } })).statusCode).toBe(200);
  expect((await whoami()).statusCode).toBe(401);
  expect((await t.app.inject({ method: 'POST', url: '/igemoji/api/v1/users/auth/refresh', payload: { refresh_token: login.refresh_token } })).statusCode).toBe(401);
});
