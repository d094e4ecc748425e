// JWT tampering matrix: every route that refuses an anonymous caller (found by probing the
// OpenAPI document) must also refuse forged, expired, cross-app and wrong-type tokens — and accept
// a genuine one.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, json, TEST_SECRET, type TestApp } from '../harness.js';

let t: TestApp;
const guarded: Array<{ method: string; url: string; app: string }> = [];
const genuine: Record<string, { access: string; refresh: string }> = {};

function sign(claims: Record<string, unknown>, secret = TEST_SECRET, alg = 'HS256'): string {
  const h = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
  const b = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = alg === 'none' ? '' : createHmac('sha256', secret).update(`${h}.${b}`).digest('base64url');
  return `${h}.${b}.${sig}`;
}
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

beforeAll(async () => {
  t = await buildTestApp({ workers: false });
  for (const mod of t.container.apps) {
    await mod.seedDemo?.('jwt-matrix-password-1');
    const pair = await t.container.core.identity.login(mod.name, 1);
    genuine[mod.name] = { access: pair.access, refresh: pair.refresh };
  }
  const doc = json<{ paths: Record<string, Record<string, unknown>> }>(await t.app.inject({ url: '/openapi.json' }));
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const url = path.replace(/\{[^}]+\}/g, '1');
      const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url });
      if (res.statusCode === 401) guarded.push({ method: method.toUpperCase(), url, app: path.split('/')[1]! });
    }
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

it('every guarded route refuses every forged token', async () => {
  expect(guarded.length).toBeGreaterThan(3);
  // a logout accepts the genuine token and revokes its session: those routes go last
  guarded.sort((a, b) => Number(a.url.includes('logout')) - Number(b.url.includes('logout')));
  const failures: string[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (const route of guarded) {
    // each logout revokes the session it is given: it gets a session of its own
    if (route.url.includes('logout')) {
      const pair = await t.container.core.identity.login(route.app, 1);
      genuine[route.app] = { access: pair.access, refresh: pair.refresh };
    }
    const good = genuine[route.app]!;
    const c = claimsOf(good.access);
    const other = Object.keys(genuine).find((a) => a !== route.app);
    const forged: Record<string, string> = {
      'alg none': sign(c, TEST_SECRET, 'none'),
      'wrong key': sign(c, 'another-secret-another-secret-another!!'),
      expired: sign({ ...c, iat: now - 7200, exp: now - 60 }),
      'refresh as access': good.refresh,
      'wrong audience': sign({ ...c, aud: other ?? 'elsewhere' }),
      'no user_id': sign({ ...c, user_id: undefined }),
      'string user_id': sign({ ...c, user_id: '1' }),
      'unknown session': sign({ ...c, sid: '00000000-0000-0000-0000-000000000000' }),
      'truncated signature': good.access.slice(0, -3),
      garbage: 'not-a-token',
    };
    if (other) forged['another app\'s genuine token'] = genuine[other]!.access;
    for (const [name, token] of Object.entries(forged)) {
      const res = await t.app.inject({ method: route.method as 'GET', url: route.url, headers: { authorization: `Bearer ${token}` } });
      if (res.statusCode !== 401) failures.push(`${route.method} ${route.url} with ${name} → ${res.statusCode}`);
    }
    const ok = await t.app.inject({ method: route.method as 'GET', url: route.url, headers: { authorization: `Bearer ${good.access}` } });
    // refresh endpoints read their token from the body, not the header; a 401 that is not a token
    // error is the route's own answer (mealbuddy's delete without its password, the original's 401)
    const tokenRefused = ok.statusCode === 401 && /"code":"(TOKEN_NOT_FOUND|TOKEN_EXPIRED|INVALID_TOKEN|MACHINE_NOT_AUTHENTICATED)"|^"토큰/.test(ok.body);
    if (tokenRefused && !route.url.includes('refresh')) failures.push(`${route.method} ${route.url} refused a genuine token: ${ok.body.slice(0, 120)}`);
  }
  expect(failures).toEqual([]);
}, 300_000);
