// The real server process over real HTTP: signup → login → me → refresh → reuse detected → logout.
// Embedded (PGlite in its own data dir) in the first CI pass, PostgreSQL + Redis in the second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processEnv, realServices, startProcess, type Proc } from '../process.js';

let server: Proc;
beforeAll(async () => {
  server = await startProcess('serve', processEnv({ ...(realServices() ?? {}), RUN_WORKERS: 'true' }));
});
afterAll(async () => {
  await server.stop();
});

async function call(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('auth over a real server process', () => {
  it('signup → login → me → refresh → reuse detected → logout', async () => {
    const name = `e2e-${Date.now()}`;
    const signup = await call('POST', '/auth/api/signup', { username: name, password: 'e2e-password', nickname: name });
    expect(signup.status).toBe(201);
    expect(signup.headers.get('x-request-id')).toBeTruthy();

    const login = await call('POST', '/auth/api/login/', { username: name, password: 'e2e-password' });
    expect(login.status).toBe(200);
    const { token, refresh } = login.body as { token: string; refresh: string };

    const me = await call('GET', '/auth/api/me/', undefined, token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: name, nickname: name });

    const rotated = await call('POST', '/auth/api/token/refresh/', { refresh });
    expect(rotated.status).toBe(200);
    const next = rotated.body as { token: string; refresh: string };
    expect((await call('GET', '/auth/api/me/', undefined, next.token)).status).toBe(200);

    const reuse = await call('POST', '/auth/api/token/refresh/', { refresh });
    expect(reuse.status).toBe(401);
    expect(reuse.body).toMatchObject({ error: { code: 'INVALID_TOKEN' } });
    // the whole family is gone: the rotated pair no longer works either
    expect((await call('GET', '/auth/api/me/', undefined, next.token)).status).toBe(401);
    expect((await call('POST', '/auth/api/token/refresh/', { refresh: next.refresh })).status).toBe(401);

    const again = await call('POST', '/auth/api/login/', { username: name, password: 'e2e-password' });
    const fresh = again.body as { token: string };
    expect((await call('POST', '/auth/api/logout/', undefined, fresh.token)).status).toBe(200);
    const after = await call('GET', '/auth/api/me/', undefined, fresh.token);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: { code: 'INVALID_TOKEN' } });
  });

  it('serves health, readiness, metrics and the API docs', async () => {
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { db: 'ok' } });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    const doc = (await call('GET', '/openapi.json')).body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/auth/api/signup/');
    for (const page of ['/swagger', '/api/swagger/', '/api/docs/']) {
      const res = await fetch(`${server.url}${page}`);
      expect(res.status, page).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    }
  });
});
