// deploy/'s topology, natively: nginx → 2 API processes → PostgreSQL + Redis, 2 workers.
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realServices } from '../process.js';
import { startTopology, type Topology } from '../topology.js';

let topo: Topology;
beforeAll(async () => {
  topo = await startTopology(realServices()!, { env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_AUTH_MAX: '5', RATE_LIMIT_MAX: '100000' } });
}, 120_000);
afterAll(async () => {
  await topo?.stop();
});

const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('multi-instance topology', () => {
  it('rate limits hold across instances (counted in Redis)', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await post(topo.url, '/auth/api/login/', { username: `nobody-${i}`, password: 'wrong-password' });
      codes.push(res.status);
    }
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(7);
  });

  it('a logout on one instance is seen by the other at once (session cache invalidated over Redis)', async () => {
    const [a, b] = topo.apis;
    expect((await post(a!.url, '/auth/api/signup/', { username: 'topo', password: 'topo-password', nickname: 'topo' }, { 'x-forwarded-for': '10.9.8.7' })).status).toBe(201);
    // a client address of its own (trusted X-Forwarded-For), so the rate-limit test's budget is not shared
    const from = { 'x-forwarded-for': '10.9.8.7' };
    const { token } = (await (await post(a!.url, '/auth/api/login/', { username: 'topo', password: 'topo-password' }, from)).json()) as { token: string };
    const me = (base: string) => fetch(`${base}/auth/api/me/`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me(b!.url)).status).toBe(200);
    expect((await post(a!.url, '/auth/api/logout/', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect((await me(b!.url)).status).toBe(401);
  });

  it('SIGTERM on one API under load: nginx drops no request', async () => {
    const run = autocannon({ url: `${topo.url}/healthz`, connections: 20, duration: 4 });
    setTimeout(() => void topo.apis[0]!.stop('SIGTERM'), 1000);
    const result = await run;
    const summary = { total: result.requests.total, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, codes: result.statusCodeStats };
    expect(summary).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0 });
    expect(result.requests.total).toBeGreaterThan(200);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(topo.apis[0]!.child.exitCode).toBe(0);
  }, 30_000);
});
