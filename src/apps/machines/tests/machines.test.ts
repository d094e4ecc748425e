import { beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../../../../test/harness.js';
import { createMachine, http, makeStaff, runToEnd, signUp, history, type Body, type MachineOut } from './helpers.js';
import { multipart } from '../../../../test/multipart.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['machines'] });
});

describe('machines CRUD (docs/apps/machines.md §3.5-§3.9)', () => {
  it('create: 201, owner from the token (body owner_id ignored), default status 1, field order', async () => {
    const a = await signUp(t);
    const res = await http(t).post('/api/machines/', { name: 'press-1', location: 'A동', owner_id: 999 }, a.token);
    expect(res.statusCode).toBe(201);
    const body = json<{ status: number; result: Record<string, unknown> }>(res);
    expect(body.status).toBe(1);
    expect(Object.keys(body.result)).toEqual(['id', 'name', 'location', 'status', 'owner_id', 'created_at', 'updated_at', 'endpoint_url']);
    expect(body.result).toMatchObject({ name: 'press-1', location: 'A동', status: 1, owner_id: a.id, endpoint_url: null });
    expect(body.result.created_at).toMatch(/Z$/);
  });

  it('form-urlencoded and multipart bodies work (the original answered 500)', async () => {
    const a = await signUp(t);
    let res = await http(t).call('POST', '/api/machines/', a.token, 'name=form&location=B&status=2', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(json<{ result: MachineOut }>(res).result.status).toBe(2);
    const body = multipart({ name: 'multi', location: 'C' });
    res = await http(t).call('POST', '/api/machines/', a.token, body.payload, body.headers);
    expect(res.statusCode, res.body).toBe(201);
    const m = json<{ result: MachineOut }>(res).result;
    res = await http(t).call('PUT', `/api/machines/${m.id}/`, a.token, 'name=renamed&location=D&status=4', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(json<{ result: MachineOut }>(res).result).toMatchObject({ name: 'renamed', location: 'D', status: 4 });
  });

  it('validation: missing, blank, too long, bad status, bad endpoint, array body → 400 code 2', async () => {
    const a = await signUp(t);
    const cases: Array<[unknown, Record<string, string[]>]> = [
      [{}, { name: ['이 필드는 필수 항목입니다.'], location: ['이 필드는 필수 항목입니다.'] }],
      [{ name: ' ', location: 'x' }, { name: ['이 필드는 비워 둘 수 없습니다.'] }],
      [{ name: 'n'.repeat(65), location: 'x' }, { name: ['이 필드의 글자 수가 64 이하인지 확인하십시오.'] }],
      [{ name: 'n', location: 'x', status: 9 }, { status: ['"9"이 유효하지 않은 선택(choice)입니다.'] }],
      [{ name: 'n', location: 'x', status: true }, { status: ['"true"이 유효하지 않은 선택(choice)입니다.'] }],
      [{ name: 'n', location: 'x', endpoint_url: 'file:///etc/passwd' }, { endpoint_url: ['유효한 URL을 입력하십시오.'] }],
    ];
    for (const [payload, fields] of cases) {
      const res = await http(t).post('/api/machines/', payload, a.token);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(json<Body>(res)).toMatchObject({ status: 0, error_code: 2, message: fields });
    }
    const arr = await http(t).post('/api/machines/', [1, 2], a.token);
    expect(arr.statusCode).toBe(400);
    const text = await http(t).call('POST', '/api/machines/', a.token, 'hello', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(json<Body>(text)).toMatchObject({ status: 0, error_code: 8 });
    const bad = await http(t).call('POST', '/api/machines/', a.token, '{"name":', { 'content-type': 'application/json' });
    expect(json<Body>(bad)).toMatchObject({ status: 0, error_code: 2, error: { code: 'MALFORMED_JSON' } });
  });

  it('list: own machines only, ordered by id, paginated; staff see all', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const staff = await signUp(t);
    await makeStaff(t, staff);
    for (let i = 0; i < 5; i++) await createMachine(t, a, { name: `a${i}` });
    await createMachine(t, b, { name: 'b0' });
    let res = await http(t).get('/api/machines/', a.token);
    const mine = json<{ result: MachineOut[] }>(res).result;
    expect(mine.map((m) => m.name)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    res = await http(t).get('/api/machines/?page=2&page_size=2', a.token);
    expect(json<{ result: MachineOut[] }>(res).result.map((m) => m.name)).toEqual(['a2', 'a3']);
    expect(res.headers['x-has-next']).toBe('true');
    expect(res.headers.link).toContain('page=3');
    res = await http(t).get('/api/machines/?page=3&page_size=2', a.token);
    expect(res.headers['x-has-next']).toBe('false');
    res = await http(t).get('/api/machines/?page=abc&page_size=-5', a.token);
    expect(res.statusCode).toBe(200);
    res = await http(t).get('/api/machines/', staff.token);
    expect(json<{ result: MachineOut[] }>(res).result).toHaveLength(6);
  });

  it('object routes: 404 (code 5) before 403 (code 4); staff read but do not write', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const staff = await signUp(t);
    await makeStaff(t, staff);
    const m = await createMachine(t, a);
    const body = { name: 'x', location: 'y' };
    const routes: Array<[string, string, unknown]> = [
      ['GET', `/api/machines/${m.id}/`, undefined],
      ['PUT', `/api/machines/${m.id}/`, body],
      ['DELETE', `/api/machines/${m.id}/`, undefined],
      ['POST', `/api/machines/${m.id}/operation/`, { command: 'START' }],
      ['GET', `/api/machines/${m.id}/history/`, undefined],
    ];
    for (const [method, url, payload] of routes) {
      const missing = await http(t).call(method, url.replace(`/${m.id}/`, '/999999/'), b.token, payload);
      expect(missing.statusCode, `${method} ${url}`).toBe(404);
      expect(json<Body>(missing)).toMatchObject({ status: 0, error_code: 5, message: '찾을 수 없습니다.' });
      const other = await http(t).call(method, url, b.token, payload);
      expect(other.statusCode, `${method} ${url}`).toBe(403);
      expect(json<Body>(other)).toMatchObject({ status: 0, error_code: 4, message: '이 작업을 수행할 권한(permission)이 없습니다.' });
      const anon = await http(t).call(method, url, undefined, payload);
      expect(anon.statusCode).toBe(401);
    }
    expect((await http(t).get(`/api/machines/${m.id}/`, staff.token)).statusCode).toBe(200);
    expect((await http(t).get(`/api/machines/${m.id}/history/`, staff.token)).statusCode).toBe(200);
    expect((await http(t).put(`/api/machines/${m.id}/`, body, staff.token)).statusCode).toBe(403);
    expect((await http(t).del(`/api/machines/${m.id}/`, staff.token)).statusCode).toBe(403);
    expect((await http(t).get('/api/machines/abc/', a.token)).statusCode).toBe(400);
  });

  it('PUT: 404 → 403 → 400 order; owner update → 200; status kept when omitted; owner_id not changeable', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const m = await createMachine(t, a, { status: 2 });
    expect((await http(t).put(`/api/machines/${m.id}/`, {}, b.token)).statusCode).toBe(403);
    expect((await http(t).put(`/api/machines/${m.id}/`, {}, a.token)).statusCode).toBe(400);
    const res = await http(t).put(`/api/machines/${m.id}/`, { name: 'n2', location: 'l2', owner_id: b.id }, a.token);
    expect(res.statusCode).toBe(200);
    expect(json<{ result: MachineOut }>(res).result).toMatchObject({ name: 'n2', location: 'l2', status: 2, owner_id: a.id });
    expect((await http(t).call('PATCH', `/api/machines/${m.id}/`, a.token, {})).statusCode).toBe(405);
  });

  it('DELETE: owner → 200 with a body; again → 404; history stays readable (soft delete)', async () => {
    const a = await signUp(t);
    const m = await createMachine(t, a);
    const run = await runToEnd(t, a, m.id, 'START');
    expect(run.result).toBe(1);
    const res = await http(t).del(`/api/machines/${m.id}/`, a.token);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ status: 1, result: { message: 'machine deleted' } });
    expect((await http(t).del(`/api/machines/${m.id}/`, a.token)).statusCode).toBe(404);
    expect((await http(t).get(`/api/machines/${m.id}/`, a.token)).statusCode).toBe(404);
    expect(json<{ result: unknown[] }>(await http(t).get('/api/machines/', a.token)).result).toHaveLength(0);
    expect(await history(t, a, `/api/machines/${m.id}/history/`)).toHaveLength(1);
    expect(await history(t, a, '/api/user/machines/history/')).toHaveLength(1);
    expect((await http(t).get(`/api/machines/${m.id}/runs/${run.id}/`, a.token)).statusCode).toBe(200);
    expect((await http(t).post(`/api/machines/${m.id}/operation/`, { command: 'STOP' }, a.token)).statusCode).toBe(404);
  });

  it('every route is documented in the OpenAPI document', async () => {
    const res = await http(t).get('/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(json<{ paths: Record<string, unknown> }>(res).paths);
    for (const p of ['/api/sign-up/', '/api/log-in/', '/api/log-out/', '/api/token/refresh/', '/api/machines/', '/api/machines/{id}/',
      '/api/machines/{id}/operation/', '/api/machines/{id}/runs/{runId}/', '/api/machines/{id}/history/', '/api/user/machines/history/']) {
      expect(paths, p).toContain(p);
    }
  });

  it('unknown route → JSON 404 envelope', async () => {
    const res = await http(t).get('/api/nope/');
    expect(res.statusCode).toBe(404);
    expect(json<Body>(res).error?.code).toBe('NOT_FOUND');
  });

  it('mounted with other apps under /machines: unmatched paths carry status 0 and error_code too', async () => {
    await t.close();
    t = await buildTestApp({ apps: ['auth', 'machines'] });
    const res = await http(t).get('/machines/api/nope/');
    expect(res.statusCode).toBe(404);
    expect(json<Body>(res)).toMatchObject({ status: 0, error_code: 5, error: { code: 'NOT_FOUND' } });
    const patch = await http(t).call('PATCH', '/machines/api/machines/1/', undefined, {});
    expect(patch.statusCode).toBe(405);
    expect(json<Body>(patch)).toMatchObject({ status: 0, error_code: 6, error: { code: 'METHOD_NOT_ALLOWED' } });
    expect(patch.headers.allow).toContain('PUT');
    const signup = await http(t).post('/machines/api/sign-up/', { username: 'pre', password: 'password1', email: 'pre@example.com' });
    expect(signup.statusCode).toBe(201);
    expect(String(signup.headers['set-cookie'])).toContain('Path=/machines');
  });
});
