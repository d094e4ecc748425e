// issue 15 #2: login limits were per route and per address, so the alias routes each gave their
// own budget and nothing limited guesses at one account. Now every login route of an app shares
// one budget per account (across instances with Redis: this file starts two when REDIS_URL is
// set), failures back off exponentially per account + address, the owner at another address is
// not locked out, and the duplicate-check look-ups of zodiac and igemoji have a tight limit.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppName } from '../../src/apps/registry.js';
import { buildTestApp, json, type TestApp } from '../harness.js';

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

/** one instance embedded; two sharing Redis (same key prefix) on the PostgreSQL + Redis pass */
async function instances(env: Record<string, string>, apps: AppName[] = ['machines', 'zodiac', 'igemoji', 'auth']): Promise<TestApp[]> {
  const shared = {
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_AUTH_MAX: '100000',
    REDIS_PREFIX: `madang-test-limits-${process.pid}-${randomBytes(4).toString('hex')}`,
    ...env,
  };
  const first = await buildTestApp({ apps, workers: false, env: shared });
  open.push(first);
  if (!process.env.REDIS_URL) return [first];
  const second = await buildTestApp({ apps, workers: false, env: shared, keepData: true });
  open.push(second);
  return [first, second];
}

type Inject = { statusCode: number; headers: Record<string, unknown>; body: string };
const login = (t: TestApp, url: string, payload: Record<string, string>, ip: string): Promise<Inject> =>
  t.app.inject({ method: 'POST', url, payload, remoteAddress: ip });

describe('per-account login limit', () => {
  it('machines: /api/log-in/ and /api/sign-in/ share one budget per account, on every instance; the owner elsewhere still logs in', async () => {
    const apps = await instances({ LOGIN_FREE_ATTEMPTS: '5', LOGIN_BACKOFF_BASE_MS: '600000' });
    const signUp = await apps[0]!.app.inject({ method: 'POST', url: '/machines/api/sign-up/', payload: { username: 'victim', password: 'right-password', email: 'victim@example.com' } });
    expect(signUp.statusCode).toBe(201);
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = apps[i % apps.length]!;
      const url = i % 2 === 0 ? '/machines/api/log-in/' : '/machines/api/sign-in/';
      codes.push((await login(t, url, { username: 'victim', password: `guess-${i}` }, '198.51.100.7')).statusCode);
    }
    expect(codes).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
    // locked: even the right password is not checked from that address
    const locked = await login(apps[0]!, '/machines/api/log-in/', { username: 'victim', password: 'right-password' }, '198.51.100.7');
    expect(locked.statusCode).toBe(429);
    expect(json<{ error_code: number }>(locked).error_code).toBe(9);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // the owner, somewhere else, is not locked out by the attacker
    const owner = await login(apps.at(-1)!, '/machines/api/sign-in/', { username: 'victim', password: 'right-password' }, '203.0.113.50');
    expect(owner.statusCode).toBe(200);
  });

  it('back-off doubles with each failure past the free ones; the owner at another address is unaffected', async () => {
    const apps = await instances({ LOGIN_FREE_ATTEMPTS: '2', LOGIN_BACKOFF_BASE_MS: '1000' });
    await apps[0]!.app.inject({ method: 'POST', url: '/auth/api/signup/', payload: { username: 'slow', password: 'right-password', nickname: 'slow' } });
    const ip = '198.51.100.8';
    let n = 0;
    const fail = () => login(apps[n++ % apps.length]!, '/auth/api/login/', { username: 'slow', password: 'wrong-password' }, ip);
    expect((await fail()).statusCode).toBe(401);
    expect((await fail()).statusCode).toBe(401); // the second free failure: locked 1 s
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      const refused = await fail();
      expect(refused.statusCode).toBe(429);
      waits.push(Number(refused.headers['retry-after']));
      // poll until the lock has passed: the attempt that gets through is the next failure
      let through: Inject | undefined;
      for (let tries = 0; tries < 150 && !through; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const r = await fail();
        if (r.statusCode !== 429) through = r;
      }
      expect(through?.statusCode).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4]);
    // locked now for 8 s; the owner at another address logs in, which clears nothing for this address
    expect((await login(apps[0]!, '/auth/api/login/', { username: 'slow', password: 'right-password' }, '203.0.113.9')).statusCode).toBe(200);
    expect((await fail()).statusCode).toBe(429);
  }, 60_000);

  it('a guess spread over many addresses hits the account limit; the owner\'s known address still gets in', async () => {
    const apps = await instances({ LOGIN_ACCOUNT_MAX: '8', LOGIN_FREE_ATTEMPTS: '5' });
    await apps[0]!.app.inject({ method: 'POST', url: '/igemoji/api/v1/users/', payload: { email: 'spread@example.com', password: 'Passw0rd!1', alias: 'spread' } });
    const url = '/igemoji/api/v1/users/auth';
    expect((await login(apps[0]!, url, { email: 'spread@example.com', password: 'Passw0rd!1' }, '203.0.113.1')).statusCode).toBe(200);
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push((await login(apps[i % apps.length]!, url, { email: 'SPREAD@example.com', password: `Wrong-${i}!x` }, `198.51.100.${i + 1}`)).statusCode);
    }
    expect(codes.slice(0, 8).every((c) => c !== 429 && c >= 400)).toBe(true);
    expect(codes.slice(8)).toEqual([429, 429, 429, 429]);
    // a new address, even with the right password, waits; the owner's known address does not
    expect((await login(apps.at(-1)!, url, { email: 'spread@example.com', password: 'Passw0rd!1' }, '198.51.100.200')).statusCode).toBe(429);
    expect((await login(apps.at(-1)!, url, { email: 'spread@example.com', password: 'Passw0rd!1' }, '203.0.113.1')).statusCode).toBe(200);
  });

  it('zodiac: /api/users/auth and /api/v1/users/auth share the budget; 100 guesses from one address are nearly all 429', async () => {
    const apps = await instances({ LOGIN_FREE_ATTEMPTS: '5', LOGIN_BACKOFF_BASE_MS: '600000' });
    const signup = await apps[0]!.app.inject({ method: 'POST', url: '/zodiac/api/users/', payload: { username: 'zvictim', password: 'Passw0rd!', email: 'zv@example.com', alias: 'zvictim' } });
    expect(signup.statusCode).toBe(201);
    const codes: number[] = [];
    for (let i = 0; i < 100; i++) {
      const url = i % 2 ? '/zodiac/api/users/auth' : '/zodiac/api/v1/users/auth';
      codes.push((await login(apps[i % apps.length]!, url, { username: 'zvictim', password: `guess${i}` }, '198.51.100.9')).statusCode);
    }
    expect(codes.filter((c) => c === 429)).toHaveLength(95);
  });
});

describe('per-account login limit: mealbuddy', () => {
  // mealbuddy logs in by e-mail on one route; its aliases are the spellings the router and the
  // account key fold together: with or without the trailing slash, doubled slashes, any case.
  const URLS = ['/mealbuddy/api/user/login/', '/mealbuddy/api/user/login', '//mealbuddy//api/user/login/'];
  const EMAILS = ['meal@example.com', 'MEAL@example.com', 'Meal@Example.COM'];
  const PASSWORD = 'correct-horse-battery';
  const mealLogin = (t: TestApp, i: number, password: string, ip: string) =>
    login(t, URLS[i % URLS.length]!, { email: EMAILS[i % EMAILS.length]!, password }, ip);

  async function victim(apps: TestApp[], ownerIp: string): Promise<void> {
    const res = await apps[0]!.app.inject({
      method: 'POST',
      url: '/mealbuddy/api/user/register/',
      payload: { email: 'meal@example.com', username: 'meal', password: PASSWORD, password2: PASSWORD, address: '제주특별자치도 제주시 용담이동' },
    });
    expect(res.statusCode, res.body).toBe(201);
    // the owner has logged in from their own address before
    expect((await mealLogin(apps.at(-1)!, 0, PASSWORD, ownerIp)).statusCode).toBe(200);
  }

  it('the alias spellings share one budget per account on every instance; varying the address does not get round it; the owner\'s address still gets in', async () => {
    const apps = await instances({ LOGIN_FREE_ATTEMPTS: '3', LOGIN_BACKOFF_BASE_MS: '600000', LOGIN_ACCOUNT_MAX: '6' }, ['mealbuddy', 'auth']);
    const owner = '203.0.113.20';
    await victim(apps, owner);
    // one address: three free failures over the aliases and instances, then locked (the right
    // password is not even checked)
    const one: number[] = [];
    for (let i = 0; i < 9; i++) one.push((await mealLogin(apps[i % apps.length]!, i, `guess-${i}`, '198.51.100.30')).statusCode);
    expect(one).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429]);
    const locked = await mealLogin(apps[0]!, 1, PASSWORD, '198.51.100.30');
    expect(locked.statusCode).toBe(429);
    expect(json<{ error: { code: string } }>(locked).error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // a new address per guess: the account has had 3 failures; 3 more reach LOGIN_ACCOUNT_MAX,
    // and from then on every address that never logged in to it waits
    const spread: number[] = [];
    for (let i = 0; i < 8; i++) spread.push((await mealLogin(apps[i % apps.length]!, i, `spread-${i}`, `198.51.100.${100 + i}`)).statusCode);
    expect(spread).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    expect((await mealLogin(apps[0]!, 2, PASSWORD, '198.51.100.200')).statusCode).toBe(429);
    // the owner, at the address they logged in from before, is not locked out
    expect((await mealLogin(apps.at(-1)!, 1, PASSWORD, owner)).statusCode).toBe(200);
  });

  it('the back-off ends: the guessing address gets another try once it has passed, and a new address once the account window has', async () => {
    const apps = await instances(
      { LOGIN_FREE_ATTEMPTS: '1', LOGIN_BACKOFF_BASE_MS: '1000', LOGIN_ACCOUNT_MAX: '3', LOGIN_ACCOUNT_WINDOW_MS: '8000' },
      ['mealbuddy', 'auth'],
    );
    await victim(apps, '203.0.113.21');
    const attacker = '198.51.100.40';
    expect((await mealLogin(apps[0]!, 0, 'wrong-1', attacker)).statusCode).toBe(401); // locked 1 s now
    expect((await mealLogin(apps.at(-1)!, 1, 'wrong-2', attacker)).statusCode).toBe(429);
    // poll until the lock has passed: the attempt that gets through is checked again (401)
    // (a condition polled for, bounded, not a timed assertion: -1 means it never let go)
    const until = async (ip: string, password: string) => {
      for (let tries = 0; tries < 300; tries++) {
        const r = await mealLogin(apps[tries % apps.length]!, tries, password, ip);
        if (r.statusCode !== 429) return r.statusCode;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return -1;
    };
    expect(await until(attacker, 'wrong-3')).toBe(401);
    // spread over addresses past LOGIN_ACCOUNT_MAX: a new address, even the owner's new phone, waits…
    expect((await mealLogin(apps[0]!, 0, 'wrong-4', '198.51.100.41')).statusCode).toBe(401);
    expect((await mealLogin(apps[0]!, 0, PASSWORD, '198.51.100.42')).statusCode).toBe(429);
    // …but only for the window: then the right password from that new address gets in
    expect(await until('198.51.100.42', PASSWORD)).toBe(200);
  }, 60_000);
});

describe('duplicate-check look-ups', () => {
  it('zodiac and igemoji: RATE_LIMIT_LOOKUP_MAX per address per window, shared by the alias routes and the instances', async () => {
    const apps = await instances({ RATE_LIMIT_LOOKUP_MAX: '10' });
    for (const [app, urls] of [
      ['zodiac', ['/zodiac/api/users/?case=email&value=', '/zodiac/api/v1/users/?case=email&value=']],
      ['igemoji', ['/igemoji/api/v1/users/?case=email&value=']],
    ] as const) {
      const codes: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t = apps[i % apps.length]!;
        const res = await t.app.inject({ url: `${urls[i % urls.length]}probe${i}%40example.com`, remoteAddress: '198.51.100.10' });
        codes.push(res.statusCode);
      }
      expect(codes, app).toEqual([...Array(10).fill(200), ...Array(20).fill(429)]);
      // another address has its own budget
      expect((await apps[0]!.app.inject({ url: `${urls[0]}other%40example.com`, remoteAddress: '198.51.100.11' })).statusCode).toBe(200);
    }
  });
});
