// issue 15 #10: /metrics was public on the API port. With METRICS_TOKEN set it answers only the
// scraper presenting the token; without it (development, tests) it stays open. The shipped nginx
// does not pass /metrics (checked on deploy/nginx/nginx.conf below; Prometheus scrapes instances).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { buildTestApp, type TestApp } from '../harness.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const TOKEN = 'metrics-token-for-tests-0123456789';

it('METRICS_TOKEN: no token or a wrong one → 401 in the envelope; the right one → the metrics', async () => {
  t = await buildTestApp({ apps: ['auth'], workers: false, env: { METRICS_TOKEN: TOKEN } });
  for (const authorization of [undefined, 'Bearer wrong', `Token ${TOKEN}`, TOKEN]) {
    const res = await t.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
    expect(res.statusCode, authorization).toBe(401);
    expect(res.body).toContain('"INVALID_TOKEN"');
    expect(res.body).not.toContain('http_request_duration_seconds');
  }
  const ok = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(ok.statusCode).toBe(200);
  expect(ok.body).toContain('http_request_duration_seconds');
});

it('a short METRICS_TOKEN is reported at start', () => {
  expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
});

it('the shipped nginx answers 404 for /metrics instead of passing it to an instance', () => {
  const conf = readFileSync(path.resolve(import.meta.dirname, '../../deploy/nginx/nginx.conf'), 'utf8');
  expect(conf).toMatch(/location = \/metrics \{ return 404; \}/);
});
