// Cross-cutting HTTP behaviour of the core, through a real app.
import { describe, expect, it } from 'vitest';
import { buildTestApp, json } from '../../../test/harness.js';
import { overloaded } from '../../../test/overload.js';

describe('core HTTP', () => {
  it('echoes a sane x-request-id and generates one otherwise', async () => {
    const t = await buildTestApp({ apps: ['auth'] });
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const evil = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'a b\u0000<script>' } });
    expect(evil.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rate limits the credential routes harder, with Retry-After, in the envelope', async () => {
    const t = await buildTestApp({ apps: ['auth'], env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_AUTH_MAX: '3' } });
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await t.app.inject({ method: 'POST', url: '/api/login/', payload: { username: 'x', password: 'y' } });
      codes.push(last.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    expect(last!.headers['retry-after']).toBeDefined();
    expect(json(last!).error).toMatchObject({ code: 'RATE_LIMITED', message: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.' });
    // other routes keep the global allowance
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('sets security headers and answers CORS preflights', async () => {
    const t = await buildTestApp({ apps: ['auth'], env: { CORS_ORIGINS: 'http://front.test' } });
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/login/',
      headers: { origin: 'http://front.test', 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://front.test');
    const other = await t.app.inject({ url: '/healthz', headers: { origin: 'http://evil.test' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['x-content-type-options']).toBe('nosniff');
    // JSON answers carry helmet's set with a short policy; HTML documents (the docs page) the full one
    expect(other.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'self'");
    expect(other.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(other.headers['x-dns-prefetch-control']).toBe('off');
    expect(other.headers['x-xss-protection']).toBeUndefined(); // document-only and legacy ones are left out
    expect(other.headers['strict-transport-security']).toContain('max-age=');
    const docs = await t.app.inject({ url: '/api/docs/' });
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    // no inline script may run on a page (issue 15 #10), and none of the docs pages needs one
    const policy = String(docs.headers['content-security-policy']).split(';');
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("script-src-attr 'none'");
    expect(policy.filter((d) => d.startsWith('script-src') && d.includes('unsafe'))).toEqual([]);
    for (const url of ['/api/docs/', '/swagger', '/api/swagger/']) {
      const page = await t.app.inject({ url });
      expect(page.headers['content-security-policy'], url).toBe(docs.headers['content-security-policy']);
      const scripts = page.body.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, url).toBeGreaterThan(0);
      expect(scripts.filter((tag) => !/\ssrc=/.test(tag)), url).toEqual([]);
    }
    const start = await t.app.inject({ url: '/api/docs/js/start.js' });
    expect(start.headers['content-type']).toMatch(/^application\/javascript/);
    expect(start.body).toContain("Scalar.createApiReference('#app'");
    expect(docs.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(docs.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('serves the Scalar reference page, its script and the redirect to it (loaded on first request)', async () => {
    const t = await buildTestApp({ apps: ['auth'] });
    const page = await t.app.inject({ url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>madang API</title>');
    expect(page.body).toContain('<script src="js/scalar.js"></script>');
    expect((await t.app.inject({ url: '/api/docs/js/start.js' })).body).toContain('"url":"/openapi.json"');
    const script = await t.app.inject({ url: '/api/docs/js/scalar.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body.length).toBeGreaterThan(1_000_000);
    const bare = await t.app.inject({ url: '/api/docs' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/api/docs/');
    expect((await t.app.inject({ url: '/api/docs/nothing-here' })).statusCode).toBe(404);
  });

  it('mounts every app under its prefix when several run together; docs list them', async () => {
    const t = await buildTestApp({});
    const res = await t.app.inject({ method: 'POST', url: '/auth/api/login', payload: { username: 'nobody', password: 'whatever1' } });
    expect(res.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/login/' })).statusCode).toBe(404);
    const doc = json<{ paths: Record<string, unknown>; tags: Array<{ name: string }> }>(await t.app.inject({ url: '/openapi.json' }));
    expect(Object.keys(doc.paths)).toContain('/auth/api/me/');
    expect(doc.tags.map((x) => x.name)).toContain('auth');
  });

  it('/readyz reports the database; /metrics exposes route latency', async () => {
    const t = await buildTestApp({ apps: ['auth'] });
    await t.app.inject({ url: '/api/me/' });
    expect(json(await t.app.inject({ url: '/readyz' }))).toMatchObject({ status: 'ready', checks: { db: 'ok' } });
    const m = await t.app.inject({ url: '/metrics' });
    expect(m.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/me\/",status_code="401"\} 1/);
    // each route keeps a series per status; answers without a route are "unmatched"
    await t.app.inject({ url: '/api/me/' });
    await t.app.inject({ url: '/no/such/route' });
    await t.app.inject({ method: 'PUT', url: '/api/me/' });
    const again = (await t.app.inject({ url: '/metrics' })).body;
    expect(again).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/me\/",status_code="401"\} 2/);
    expect(again).toMatch(/http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/me\/",status_code="401"\} 2/);
    expect(again).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1/);
    expect(again).toMatch(/http_request_duration_seconds_count\{method="PUT",route="unmatched",status_code="405"\} 1/);
    expect(again).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/metrics",status_code="200"\} 1/);
  });
});

describe('overload and outages', () => {
  it('answers 503 with Retry-After in the envelope when the event loop is saturated', async () => {
    const t = await buildTestApp({ apps: ['auth'], env: { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '1' } });
    const res = await overloaded(t.app);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(json(res).error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});

describe('message catalogues', () => {
  it('each app keeps its own wording for a code two apps share', async () => {
    const t = await buildTestApp({});
    const auth = await t.app.inject({ method: 'POST', url: '/auth/api/login/', payload: { username: 'nobody', password: 'whatever1' } });
    expect(json(auth).error).toEqual({ code: 'INVALID_CREDENTIALS', message: '아이디 또는 비밀번호가 올바르지 않습니다.' });
    const meal = await t.app.inject({ method: 'POST', url: '/mealbuddy/api/user/login/', payload: { email: 'nobody@example.com', password: 'whatever1' } });
    expect(meal.statusCode).toBe(401);
    expect(json<{ error: { message: string } }>(meal).error.message).not.toBe('아이디 또는 비밀번호가 올바르지 않습니다.');
  });
});
