// web/src/api/schema.d.ts is generated from the API's OpenAPI document and committed; a route
// whose schema changed without `npm run web:api` leaves the front end typed against an old API.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiTypes } from '../web/scripts/api-types.js';
import { buildTestApp, type TestApp } from './harness.js';

let t: TestApp | undefined;
afterAll(async () => {
  await t?.close();
});

describe('the front end API types', () => {
  it('match the OpenAPI document the API serves (else run `npm run web:api`)', async () => {
    t = await buildTestApp({ workers: false });
    await t.app.ready();
    const committed = readFileSync(path.resolve(import.meta.dirname, '../web/src/api/schema.d.ts'), 'utf8');
    expect(await apiTypes(t.app.swagger())).toBe(committed);
  }, 60_000);
});
