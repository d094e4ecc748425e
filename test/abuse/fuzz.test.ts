// OpenAPI-driven fuzzing: every documented operation of every app gets malformed and hostile
// requests, anonymous and with valid tokens. No answer may be a 5xx, and the app keeps serving.
import type { JsonSchema } from 'json-schema-faker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../harness.js';
import { bodyFor, HOSTILE_PATH_PARAMS, HOSTILE_QUERY, MALFORMED_MULTIPART, multipart, pick, rand } from './mutations.js';

interface Operation {
  method: string;
  path: string;
  app: string;
  body?: JsonSchema;
  params: string[];
}

// an optional integration without its key answers 503 *_NOT_CONFIGURED by design (documented)
const NOT_CONFIGURED = /"code":"[A-Z_]+_NOT_CONFIGURED"/;

const isFieldMap = (b: unknown) =>
  typeof b === 'object' && b !== null && Object.values(b).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string'));
// routes whose refusals keep the shape an original front end parses (docs/apps/mealbuddy.md §10)
const ORIGINAL_SHAPE: Record<string, (body: unknown) => boolean> = {
  'POST /mealbuddy/api/chat/{id}/': (b) => typeof b === 'string' && b.length > 0,
  'POST /mealbuddy/api/user/changepassword/': isFieldMap,
  'POST /mealbuddy/api/user/delete/': (b) => typeof b === 'string' && b.length > 0,
};

let t: TestApp;
const tokens: Record<string, string> = {};
const ops: Operation[] = [];

beforeAll(async () => {
  t = await buildTestApp({ workers: false });
  const doc = json<{ paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>> }>(
    await t.app.inject({ url: '/openapi.json' }),
  );
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      const schema = content['application/json']?.schema ?? Object.values(content)[0]?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        app: path.split('/')[1] ?? '',
        body: schema,
        params: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
      });
    }
  }
  for (const mod of t.container.apps) {
    await mod.seedDemo?.('fuzz-demo-password-1');
    tokens[mod.name] = (await t.container.core.identity.login(mod.name, 1)).access;
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

it('survives ≥ 5,000 malformed or hostile requests across every route without a 5xx', async () => {
  expect(ops.length).toBeGreaterThan(20);
  const perOp = Math.ceil(5000 / ops.length);
  const failures: string[] = [];
  let sent = 0;
  for (const op of ops) {
    for (let v = 1; v <= perOp; v++) {
      let url = op.path;
      for (const p of op.params) url = url.replace(`{${p}}`, encodeURIComponent(v % 4 === 0 ? String(1 + rand(3)) : pick(HOSTILE_PATH_PARAMS)));
      const query = v % 3 === 0 ? new URLSearchParams(pick(HOSTILE_QUERY)).toString() : '';
      const headers: Record<string, string> = {};
      if (v % 2 === 0 && tokens[op.app]) headers.authorization = `${pick(['Bearer', 'Token'])} ${tokens[op.app]}`;
      else if (v % 5 === 0) headers.authorization = pick(['Bearer', 'Bearer x.y.z', 'Token ' + 'a'.repeat(5000), 'Basic Zm9vOmJhcg==']);
      const body = bodyFor(op.body, v);
      let payload: string | Buffer | undefined;
      if (op.method !== 'GET' && op.method !== 'DELETE') {
        const kind = v % 4;
        if (kind === 0 && body && typeof body === 'object') {
          const mp = multipart(body as Record<string, unknown>, v % 8 === 0);
          payload = mp.payload;
          headers['content-type'] = mp.contentType;
        } else if (kind === 1) {
          payload = '{"broken": ';
          headers['content-type'] = 'application/json';
        } else if (kind === 2 && body && typeof body === 'object') {
          payload = new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([k, x]) => [k, String(x)])).toString();
          headers['content-type'] = 'application/x-www-form-urlencoded';
        } else {
          payload = JSON.stringify(body) ?? 'null';
          headers['content-type'] = 'application/json';
        }
      }
      const res = await t.app.inject({ method: op.method as 'GET', url: query ? `${url}?${query}` : url, headers, payload });
      sent++;
      const where = `${op.method} ${url.slice(0, 120)}?${query.slice(0, 120)} [${headers['content-type'] ?? ''}] ${String(payload ?? '').slice(0, 300)}`;
      if (res.statusCode >= 500 && !NOT_CONFIGURED.test(res.body)) failures.push(`${where} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (res.statusCode >= 400 && res.headers['content-type']?.toString().includes('json')) {
        const b = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
        const original = ORIGINAL_SHAPE[`${op.method} ${op.path}`];
        if (original?.(b)) continue;
        if (typeof b.error?.code !== 'string' || typeof b.error?.message !== 'string') {
          failures.push(`${where} → ${res.statusCode} without the error envelope: ${res.body.slice(0, 200)}`);
        }
      }
    }
  }
  expect(sent).toBeGreaterThanOrEqual(5000);
  expect(failures.slice(0, 25)).toEqual([]);
  expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
}, 600_000);

// issue 15 #3: `curl -X POST …/auth/api/login/ -H 'Content-Type: multipart/form-data' -d x` was a 500
it('answers every malformed multipart body on every route with a body with a 4xx in the envelope', async () => {
  const failures: string[] = [];
  let sent = 0;
  let malformed = 0;
  for (const op of ops) {
    if (op.method === 'GET' || op.method === 'DELETE') continue;
    const url = op.path.replace(/\{[^}]+\}/g, '1');
    for (const [i, bad] of MALFORMED_MULTIPART.entries()) {
      const headers: Record<string, string> = { 'content-type': bad.contentType };
      if (i % 2 === 1 && tokens[op.app]) headers.authorization = `Bearer ${tokens[op.app]}`;
      const res = await t.app.inject({ method: op.method as 'POST', url, headers, payload: bad.payload });
      sent++;
      const where = `${op.method} ${url} [${bad.contentType}] ${bad.payload.slice(0, 80)}`;
      if (res.statusCode >= 500 || res.statusCode < 400) {
        failures.push(`${where} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        continue;
      }
      const b = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
      if (ORIGINAL_SHAPE[`${op.method} ${op.path}`]?.(b)) continue;
      if (typeof b.error?.code !== 'string' || typeof b.error.message !== 'string') failures.push(`${where} → no envelope: ${res.body.slice(0, 200)}`);
      if (b.error?.code === 'MALFORMED_MULTIPART') malformed++;
    }
  }
  expect(failures.slice(0, 25)).toEqual([]);
  expect(sent).toBeGreaterThan(100);
  // the anonymous login routes parse the body before anything else: the refusal names the body
  expect(malformed).toBeGreaterThan(20);
  for (const url of ['/auth/api/login/', '/machines/api/log-in/', '/zodiac/api/users/auth', '/igemoji/api/v1/users/auth', '/mealbuddy/api/user/login/']) {
    const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'multipart/form-data' }, payload: 'x' });
    expect(res.statusCode, url).toBe(400);
    expect(res.body, url).toContain('MALFORMED_MULTIPART');
  }
}, 300_000);
