// IDOR matrix, built from the OpenAPI document: every operation whose path names an object is
// called by user B with user A's identifiers (and a well-formed body). Each must be refused —
// 401/403/404, or 400/405/409/422 where the route refuses for another reason first — unless the
// route is listed below as legitimately public. Afterwards A still sees every object unchanged.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../harness.js';
import { ownedObjects, type Owned } from './idor.fixtures.js';

/** routes that answer anyone by design, with the reason; they may answer 2xx but never 5xx */
const PUBLIC: Record<string, string> = {
  // the twelve animals' daily fortunes and their Twemoji art are the same for everyone
  'GET /zodiac/api/v1/animals/{name}/fortune': 'public fortune of an animal, not a user object',
  'GET /zodiac/api/v1/animals/images/{file}': 'public animal artwork',
  // served to <img> tags without a header (as the original did): the random v4 UUID is the capability
  'GET /zodiac/api/v1/animals/pictures/{picuuid}': 'unguessable-UUID picture URL',
  'GET /zodiac/api/v1/animals/pictures/{picuuid}/thumbnail': 'unguessable-UUID thumbnail URL',
  // emoji templates form a shared catalogue that every user browses and uses
  'GET /igemoji/api/v1/emojis/pages/{page}': 'public template catalogue page',
  'GET /igemoji/api/v1/emojis/{id}': 'public template detail',
  'GET /igemoji/api/v1/emojis/{id}/images/{emotion}': 'public template picture',
  'GET /igemoji/api/v1/faces/results/images/{uuid}': 'unguessable-UUID result image URL',
  // {case} picks a view (result | upload) of the caller's own page; it names no object of A's
  'GET /igemoji/api/v1/users/mypage/{case}': "the caller's own page",
};
const DENIED = new Set([401, 403, 404]);
const REFUSED = new Set([400, 405, 409, 422]);

interface Operation {
  method: string;
  path: string;
  app: string;
}

let t: TestApp;
let owned: Owned[];
const ops: Operation[] = [];

beforeAll(async () => {
  t = await buildTestApp({ workers: false });
  owned = await ownedObjects(t);
  const doc = json<{ paths: Record<string, Record<string, unknown>> }>(await t.app.inject({ url: '/openapi.json' }));
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.includes('{')) continue;
    for (const method of Object.keys(methods)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) ops.push({ method: method.toUpperCase(), path, app: path.split('/')[1]! });
    }
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

it("no route lets user B read or change user A's objects", async () => {
  expect(ops.length).toBeGreaterThanOrEqual(30);
  const leaks: string[] = [];
  const tally = { denied: 0, refused: 0, public: 0 };
  for (const op of ops) {
    const fx = owned.find((o) => o.app === op.app);
    if (!fx) {
      leaks.push(`${op.method} ${op.path}: no fixture for app ${op.app}`);
      continue;
    }
    const values = fx.params(op.path);
    let url = op.path;
    for (const [, name] of op.path.matchAll(/\{([^}]+)\}/g)) {
      const value = values[name!];
      if (value === undefined) leaks.push(`${op.method} ${op.path}: the ${op.app} fixture has no value for {${name}}`);
      url = url.replace(`{${name}}`, encodeURIComponent(value ?? '1'));
    }
    const body = fx.body(op.method, op.path);
    const res = await t.app.inject({ method: op.method as 'GET', url, headers: { ...fx.asB, ...body?.headers }, payload: body?.payload });
    const key = `${op.method} ${op.path}`;
    const line = `${op.method} ${url} as B → ${res.statusCode} ${res.body.slice(0, 160)}`;
    if (res.statusCode >= 500) leaks.push(line);
    else if (key in PUBLIC) tally.public++;
    else if (DENIED.has(res.statusCode)) tally.denied++;
    else if (REFUSED.has(res.statusCode)) tally.refused++;
    else leaks.push(line);
  }
  console.info(`IDOR matrix: ${ops.length} object routes; ${tally.denied} denied, ${tally.refused} refused otherwise, ${tally.public} public by design`);
  expect(leaks, `routes that let B at A's objects:\n${leaks.join('\n')}`).toEqual([]);
  // refusals for other reasons must stay the exception: the bodies are well-formed on purpose
  expect(tally.denied).toBeGreaterThan(tally.refused * 3);

  for (const fx of owned) {
    for (const read of fx.aReads) {
      const res = await t.app.inject({ url: read.url, headers: fx.asA });
      expect(res.statusCode, `A reads ${read.url}: ${res.body.slice(0, 200)}`).toBe(200);
      read.expect(json(res));
    }
  }
}, 60_000);

it('every public-by-design entry is a real route (the allow-list cannot go stale)', () => {
  const keys = new Set(ops.map((o) => `${o.method} ${o.path}`));
  expect(Object.keys(PUBLIC).filter((k) => !keys.has(k))).toEqual([]);
});
