// Serving the built SPA: assets with long caching, index.html for client routes a browser asks
// for, and the API's JSON 404/405 untouched for everything else.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, json } from '../../../test/harness.js';
import { registerHealth } from './health.js';
import { createServer } from './server.js';
import { registerWeb } from './web.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
let app: FastifyInstance;

beforeAll(async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'madang-web-'));
  mkdirSync(path.join(root, 'dist', 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(root, 'dist', 'assets', 'index-abc123.js'), 'console.log(1)');
  const t = await buildTestApp({ apps: ['auth'] });
  app = await createServer(t.container.core, ['auth']);
  await registerHealth(app, t.container.core);
  app.post('/auth/api/login/', async () => ({ ok: true }));
  app.get('/auth/api/me/', async () => ({ id: 1 }));
  await registerWeb(app, root);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

describe('web front end serving', () => {
  it('serves index.html at / without caching, assets with a long cache', async () => {
    const home = await app.inject({ url: '/', headers: HTML });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toMatch(/text\/html/);
    expect(home.headers['cache-control']).toBe('no-cache');
    expect(home.headers['content-security-policy']).toContain("connect-src 'self' ws: wss:");
    expect(home.body).toContain('id="root"');
    const js = await app.inject({ url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
  });

  it('answers client routes with index.html when a browser asks for a page', async () => {
    for (const url of ['/machines', '/mealbuddy/posts/3', '/auth/me?x=1', '/zodiac/result/abc/']) {
      const res = await app.inject({ url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('id="root"');
    }
  });

  it('keeps JSON errors for API clients and API paths', async () => {
    const api = await app.inject({ url: '/machines', headers: { accept: 'application/json' } });
    expect(api.statusCode).toBe(404);
    expect(json(api)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const missingApi = await app.inject({ url: '/auth/api/nope/', headers: HTML });
    expect(missingApi.statusCode).toBe(404);
    expect(json(missingApi)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const wrongMethod = await app.inject({ url: '/auth/api/login/', headers: HTML });
    expect(wrongMethod.statusCode).toBe(405);
    const missingAsset = await app.inject({ url: '/assets/gone.js', headers: HTML });
    expect(missingAsset.statusCode).toBe(404);
    const post = await app.inject({ method: 'POST', url: '/machines', headers: HTML });
    expect(post.statusCode).toBe(404);
  });

  it('says how to build the front end when web/dist is missing', async () => {
    const t = await buildTestApp({ apps: ['auth'] });
    const bare = await createServer(t.container.core, ['auth']);
    await registerWeb(bare, mkdtempSync(path.join(tmpdir(), 'madang-web-empty-')));
    await bare.ready();
    const res = await bare.inject({ url: '/', headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm run web:build');
    expect((await bare.inject({ url: '/machines', headers: HTML })).statusCode).toBe(404);
    await bare.close();
  });

  it('leaves the real routes alone', async () => {
    expect(json(await app.inject({ url: '/auth/api/me/', headers: HTML }))).toEqual({ id: 1 });
    expect((await app.inject({ url: '/healthz', headers: HTML })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
  });
});
