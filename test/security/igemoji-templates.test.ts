// issue 15 #7: one user made 30 public templates in 3 s and pushed everyone else's off the first
// page. New templates are limited per user per hour (429 TEMPLATE_RATE_LIMITED, counted across
// instances with Redis), and a user keeps at most IGEMOJI_TEMPLATES_PER_USER live ones (409).
import { afterEach, expect, it } from 'vitest';
import { colourPictures, multipart, pictureFields, signupLogin } from '../fixtures/igemoji/helpers.js';
import { FakeAnalyzer } from '../fakes/fake-analyzer.js';
import { buildTestApp, json, type TestApp } from '../harness.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function spam(env: Record<string, string>, n: number): Promise<{ codes: number[]; bodies: string[]; firstPage: Array<{ alias: string }> }> {
  t = await buildTestApp({ apps: ['igemoji'], workers: false, analyzer: new FakeAnalyzer(), env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_AUTH_MAX: '100000', ...env } });
  const spammer = await signupLogin(t, 'spammer');
  const fields = { name: '도배', ...pictureFields(await colourPictures()) };
  const codes: number[] = [];
  const bodies: string[] = [];
  for (let i = 0; i < n; i++) {
    const mp = multipart(fields, 'image/jpeg');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/emojis/', payload: mp.payload, headers: { ...mp.headers, ...spammer.auth } });
    codes.push(res.statusCode);
    bodies.push(res.body);
  }
  const firstPage = json<Array<{ alias: string }>>(await t.app.inject({ url: '/api/v1/emojis/pages/1' }));
  return { codes, bodies, firstPage };
}

it('per hour: IGEMOJI_TEMPLATES_PER_HOUR, then 429; the first page keeps others\' templates', async () => {
  const { codes, bodies, firstPage } = await spam({ IGEMOJI_TEMPLATES_PER_HOUR: '5' }, 30);
  expect(codes).toEqual([...Array(5).fill(201), ...Array(25).fill(429)]);
  expect(bodies[5]).toContain('TEMPLATE_RATE_LIMITED');
  // 8 per page: the spammer's 5 leave room for the built-in templates
  expect(firstPage.filter((e) => e.alias !== 'spammer').length).toBeGreaterThan(0);
});

it('per user: IGEMOJI_TEMPLATES_PER_USER live templates, then 409', async () => {
  const { codes, bodies } = await spam({ IGEMOJI_TEMPLATES_PER_HOUR: '1000', IGEMOJI_TEMPLATES_PER_USER: '3' }, 5);
  expect(codes).toEqual([201, 201, 201, 409, 409]);
  expect(bodies[3]).toContain('TEMPLATE_QUOTA_EXCEEDED');
});
