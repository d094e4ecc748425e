// How the server refuses input, whatever the app: Korean messages without English type names, a
// missing body that names the missing fields, one message per problem, the envelope even for a
// request Node's parser rejects (an unencoded Korean query, sent raw over a socket because fetch
// and inject would encode it), and the legacy machines fields when machines is served alone.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';

const ports = new WeakMap<TestApp, number>();
async function portOf(t: TestApp): Promise<number> {
  if (!ports.has(t)) ports.set(t, Number(new URL(await t.app.listen({ port: 0, host: '127.0.0.1' })).port));
  return ports.get(t)!;
}

/** one raw HTTP/1.1 request with the request target written byte for byte */
async function rawGet(t: TestApp, target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: string; body: string }> {
  const port = await portOf(t);
  const head = Object.entries({ Host: 'madang.test', ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const raw = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.from(`GET ${target} HTTP/1.1\r\n${head}Connection: close\r\n\r\n`, 'utf8')));
    socket.on('data', (d) => chunks.push(d));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
  const [top = '', body = ''] = raw.split('\r\n\r\n');
  return { status: Number(top.split(' ')[1]), headers: top, body };
}

async function signUpMachines(t: TestApp, prefix = ''): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: `${prefix}/api/sign-up/`,
    payload: { username: 'refuser', password: 'refuser-pass-1', email: 'refuser@example.com' },
  });
  expect(res.statusCode).toBe(201);
  return json<{ result: { token: { access: string } } }>(res).result.token.access;
}

describe('validation messages', () => {
  it('name types in Korean, "blank" in Korean, and give one message per problem', async () => {
    const t = await buildTestApp({ apps: ['machines', 'mealbuddy'] });
    const token = await signUpMachines(t, '/machines');
    const auth = { authorization: `Bearer ${token}` };
    const typed = await t.app.inject({ method: 'POST', url: '/machines/api/machines/', headers: auth, payload: { name: 5, location: ' ' } });
    expect(json(typed).error).toMatchObject({ fields: { name: ['문자열을 입력하십시오.'], location: ['이 필드는 비워 둘 수 없습니다.'] } });
    const en = await t.app.inject({ method: 'POST', url: '/machines/api/machines/', headers: { ...auth, 'accept-language': 'en' }, payload: { name: 5, location: 'x' } });
    expect(json(en).error).toMatchObject({ fields: { name: ['A valid string is required.'] } });
    const big = await t.app.inject({ url: '/machines/api/machines/99999999999999999999/', headers: auth });
    expect(big.statusCode).toBe(400);
    expect(json(big).error).toMatchObject({ fields: { id: ['이 값이 9007199254740991보다 작거나 같은지 확인하십시오.'] } });
    const when = await t.app.inject({ url: '/machines/api/user/machines/history/?from=yesterday', headers: auth });
    const message = JSON.stringify(json(when));
    expect(message).toContain('날짜·시각 형식이 잘못되었습니다.');
    for (const english of ['string', 'blank', 'Datetime']) expect(message).not.toContain(english);
  });

  it('a missing, empty or null body names every missing field instead of non_field_errors', async () => {
    const t = await buildTestApp({ apps: ['machines', 'mealbuddy'] });
    const required = ['이 필드는 필수 항목입니다.'];
    const register = { email: required, username: required, password: required, password2: required, address: required };
    for (const payload of ['null', '', '{}']) {
      const res = await t.app.inject({ method: 'POST', url: '/mealbuddy/api/user/register/', headers: { 'content-type': 'application/json' }, payload });
      expect(res.statusCode, payload).toBe(400);
      expect(json(res).error, payload).toMatchObject({ code: 'VALIDATION_ERROR', fields: register });
    }
    const none = await t.app.inject({ method: 'POST', url: '/mealbuddy/api/user/login/' });
    expect(json(none).error).toMatchObject({ fields: { email: required, password: required } });
    const token = await signUpMachines(t, '/machines');
    const machine = await t.app.inject({ method: 'POST', url: '/machines/api/machines/', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: 'null' });
    expect(json(machine)).toMatchObject({ status: 0, error_code: 2, message: { name: required, location: required } });
    // a body that is there but broken is still malformed JSON
    const broken = await t.app.inject({ method: 'POST', url: '/mealbuddy/api/user/login/', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(json(broken).error).toMatchObject({ code: 'MALFORMED_JSON' });
  });
});

describe('requests the HTTP parser refuses', () => {
  it('an unencoded Korean query answers the envelope in Korean (English on request), not Fastify\'s "Client Error"', async () => {
    const t = await buildTestApp({ apps: ['mealbuddy', 'machines'] });
    const ko = await rawGet(t, '/mealbuddy/api/post/?category=치킨');
    expect(ko.status).toBe(400);
    expect(ko.headers).toMatch(/content-type: application\/json; charset=utf-8/i);
    expect(JSON.parse(ko.body)).toEqual({
      error: { code: 'INVALID_URL', message: '요청 주소에 인코딩되지 않은 문자가 있습니다. 한글이나 공백은 퍼센트 인코딩해서 보내 주세요. (예: 치킨 → %EC%B9%98%ED%82%A8)' },
    });
    const en = await rawGet(t, '/mealbuddy/api/post/?category=치킨', { 'Accept-Language': 'en-US,en;q=0.8' });
    expect(JSON.parse(en.body).error.message).toMatch(/must be percent-encoded/);
    // the same request, encoded, is an ordinary request (401: no token)
    expect((await rawGet(t, `/mealbuddy/api/post/?category=${encodeURIComponent('치킨')}`)).status).toBe(401);
  });

  it('machines alone at "/": parser refusals, unknown paths and wrong methods carry status 0 and error_code', async () => {
    const t = await buildTestApp({ apps: ['machines'] });
    const raw = await rawGet(t, '/api/machines/?name=사출기');
    expect(JSON.parse(raw.body)).toMatchObject({ status: 0, error_code: 2, error: { code: 'INVALID_URL' } });
    const unknown = await t.app.inject({ url: '/api/nothing-here/' });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toEqual({
      error: { code: 'NOT_FOUND', message: '요청한 리소스를 찾을 수 없습니다.' },
      status: 0,
      message: '요청한 리소스를 찾을 수 없습니다.',
      error_code: 5,
    });
    const method = await t.app.inject({ method: 'PATCH', url: '/api/machines/' });
    expect(method.statusCode).toBe(405);
    expect(json(method)).toMatchObject({ status: 0, error_code: 6, error: { code: 'METHOD_NOT_ALLOWED' } });
  });
});
