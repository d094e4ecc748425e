// issue 15 #1: behind the shipped proxy, 100 logins each with a different client-chosen
// X-Forwarded-For were 100 × 401, never 429 (every hop was trusted, so the leftmost, forged entry
// was "the client"). With TRUST_PROXY as a hop count or an address list, only the entry our proxy
// wrote counts: the forged part is ignored and the limit holds.
import { afterEach, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../harness.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function attack(trust: string, xff: (i: number) => string): Promise<number[]> {
  t = await buildTestApp({ apps: ['auth'], workers: false, env: { TRUST_PROXY: trust, RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_AUTH_MAX: '5' } });
  const codes: number[] = [];
  for (let i = 0; i < 100; i++) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/login/',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': xff(i) },
      payload: { username: `nobody${i}`, password: 'wrong-password' },
    });
    codes.push(res.statusCode);
  }
  return codes;
}

const count = (codes: number[], code: number) => codes.filter((c) => c === code).length;

it('one trusted hop: a forged entry in front of the one nginx appended is ignored → 429 after the limit', async () => {
  // the old nginx appended: "<forged>, <real>"; the API now believes only the rightmost entry
  const codes = await attack('1', (i) => `198.51.100.${i + 1}, 203.0.113.7`);
  expect(count(codes, 401)).toBe(5);
  expect(count(codes, 429)).toBe(95);
});

it('trusted proxy addresses: entries only count when a listed proxy added them', async () => {
  // the request comes from 127.0.0.1, which is not in the list: X-Forwarded-For is not believed at all
  const codes = await attack('10.0.0.0/8', (i) => `198.51.100.${i + 1}`);
  expect(count(codes, 429)).toBe(95);
});

it('no proxy trusted (the default): X-Forwarded-For is ignored', async () => {
  const codes = await attack('false', (i) => `198.51.100.${i + 1}`);
  expect(count(codes, 429)).toBe(95);
});
