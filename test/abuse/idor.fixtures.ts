// Two users per app, made through each app's real HTTP API (all apps mounted, so every URL
// carries the app prefix): user A owns one of every kind of object, user B owns nothing of A's.
// The IDOR matrix fills every path parameter with A's value and calls the route as B.
import sharp from 'sharp';
import { expect } from 'vitest';
import { json, type TestApp } from '../harness.js';
import { syntheticFace } from '../fixtures/images.js';
import { multipart } from '../multipart.js';

export interface Payload {
  payload: string | Buffer;
  headers: Record<string, string>;
}

export interface Owned {
  app: string;
  /** A's value for each path parameter name used by this app's routes */
  params(path: string): Record<string, string>;
  /** a well-formed body, so a refusal comes from the ownership check rather than validation */
  body(method: string, path: string): Payload | undefined;
  asA: Record<string, string>;
  asB: Record<string, string>;
  /** A's own reads after the matrix: each must still answer 200 and show the object unchanged */
  aReads: Array<{ url: string; expect: (body: Record<string, unknown>) => void }>;
}

const jsonBody = (value: unknown): Payload => ({ payload: JSON.stringify(value), headers: { 'content-type': 'application/json' } });

function form(fields: Record<string, string | number | Buffer>, mime = 'image/jpeg'): Payload {
  const { payload, headers } = multipart(fields, { mime });
  return { payload, headers };
}

function caller(t: TestApp) {
  return async (method: string, url: string, headers: Record<string, string> = {}, body?: Payload, status = 0) => {
    const res = await t.app.inject({ method: method as 'GET', url, headers: { ...headers, ...body?.headers }, payload: body?.payload });
    if (status) expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBe(status);
    return json<Record<string, unknown>>(res);
  };
}

async function machines(t: TestApp): Promise<Owned> {
  const call = caller(t);
  const user = async (name: string) => {
    const b = await call('POST', '/machines/api/sign-up/', {}, jsonBody({ username: name, password: 'password1', email: `${name}@example.com` }), 201);
    const r = b.result as { token: { access: string } };
    return { authorization: `Bearer ${r.token.access}` };
  };
  const asA = await user('idor-a');
  const asB = await user('idor-b');
  const machine = (await call('POST', '/machines/api/machines/', asA, jsonBody({ name: 'press', location: 'line-1' }), 201)).result as { id: number };
  const run = (await call('POST', `/machines/api/machines/${machine.id}/operation/`, asA, jsonBody({ command: 'START' }), 202)).result as { run_id: number };
  // shop floor (docs/apps/machines.md §10): an alarm rule, and an alarm it raised from A's telemetry
  const rule = (await call('POST', `/machines/api/machines/${machine.id}/alarm-rules/`, asA, jsonBody({ kind: 'state_error' }), 201)).result as { id: number };
  await call('POST', `/machines/api/machines/${machine.id}/telemetry/`, asA, jsonBody({ readings: [{ state: 4 }] }), 201);
  const alarm = ((await call('GET', `/machines/api/machines/${machine.id}/alarms/`, asA, undefined, 200)).result as Array<{ id: number }>)[0]!;
  return {
    app: 'machines',
    params: () => ({ id: String(machine.id), runId: String(run.run_id), ruleId: String(rule.id), alarmId: String(alarm.id) }),
    body: (method, path) => {
      if (path.endsWith('/operation/')) return jsonBody({ command: 'START' });
      if (path.endsWith('/alarm-rules/')) return jsonBody({ kind: 'state_error' });
      if (path.endsWith('/telemetry/')) return jsonBody({ readings: [{ state: 1 }] });
      if (method === 'PUT') return jsonBody({ name: 'taken', location: 'elsewhere' });
      return undefined;
    },
    asA,
    asB,
    aReads: [
      { url: `/machines/api/machines/${machine.id}/`, expect: (b) => expect(b.result).toMatchObject({ name: 'press', location: 'line-1' }) },
      { url: `/machines/api/machines/${machine.id}/runs/${run.run_id}/`, expect: (b) => expect(b.result).toMatchObject({ id: run.run_id }) },
    ],
  };
}

async function mealbuddy(t: TestApp): Promise<Owned> {
  const call = caller(t);
  const user = async (username: string, address: string) => {
    const password = 'correct-horse-battery';
    const b = await call('POST', '/mealbuddy/api/user/register/', {}, jsonBody({ email: `${username}@example.com`, username, password, password2: password, address }), 201);
    const u = b.user as { id: number; token: string };
    return { id: u.id, auth: { authorization: `token ${u.token}` } };
  };
  const a = await user('idora', '제주특별자치도 제주시 용담이동');
  // B lives elsewhere: a neighbour may read a post's detail by design (docs/apps/mealbuddy.md §6)
  const b = await user('idorb', '서울특별시 마포구 서교동');
  const write = (auth: Record<string, string>) =>
    call('POST', '/mealbuddy/api/post/write/', auth, form({ title: '치킨먹으실분', category: '치킨', content: '치킨이 먹고싶네요', target_number: 3 }), 201);
  const post = (await write(a.auth)) as { id: number; chat_id: number };
  await write(b.auth);
  return {
    app: 'mealbuddy',
    // one name, two objects: `id` is the post under /post/ and its chat room under /chat/
    params: (path) => ({ id: String(path.includes('/api/chat/') ? post.chat_id : post.id) }),
    body: (method, path) => {
      if (path.endsWith('/ban/')) return jsonBody({ target_user_id: a.id });
      if (method === 'POST' && path.endsWith('/edit/')) return jsonBody({ title: 'taken', is_compelete: true });
      return undefined;
    },
    asA: a.auth,
    asB: b.auth,
    aReads: [
      { url: `/mealbuddy/api/post/detail/${post.id}/`, expect: (r) => expect(r).toMatchObject({ title: '치킨먹으실분', is_compelete: false, join_number: 1 }) },
      { url: `/mealbuddy/api/chat/${post.chat_id}/user/`, expect: (r) => expect(JSON.stringify(r)).not.toContain('idorb') },
    ],
  };
}

async function zodiac(t: TestApp): Promise<Owned> {
  const call = caller(t);
  const user = async (username: string) => {
    await call('POST', '/zodiac/api/users/', {}, jsonBody({ username, password: 'Passw0rd!', email: `${username}@example.com`, alias: username }), 201);
    const b = await call('POST', '/zodiac/api/users/auth', {}, jsonBody({ username, password: 'Passw0rd!' }), 200);
    return { uuid: b.uuid as string, auth: { authorization: b.access_token as string } };
  };
  const a = await user('idorza');
  const b = await user('idorzb');
  const image = await syntheticFace('jpeg', {}, 200);
  const task = (await call('POST', `/zodiac/api/users/${a.uuid}/results/tasks`, a.auth, form({ filename: image }), 202)) as { task_id: string; picuuid: string };
  return {
    app: 'zodiac',
    params: () => ({
      user_id: a.uuid,
      uuid: a.uuid,
      task_id: task.task_id,
      picuuid: task.picuuid,
      page_number: '1',
      from_date: '2020-01-01',
      to_date: '2099-12-31',
      name: 'mouse',
      file: 'mouse.svg',
    }),
    body: (method) => (method === 'POST' ? form({ filename: image }) : undefined),
    asA: a.auth,
    asB: b.auth,
    aReads: [
      { url: `/zodiac/api/users/${a.uuid}/results/tasks/${task.task_id}`, expect: (r) => expect(JSON.stringify(r)).toContain(task.task_id) },
      { url: `/zodiac/api/users/${a.uuid}/pages/1`, expect: (r) => expect(JSON.stringify(r)).toContain(task.picuuid) },
    ],
  };
}

async function igemoji(t: TestApp): Promise<Owned> {
  const call = caller(t);
  const user = async (alias: string) => {
    const email = `${alias}@example.com`;
    await call('POST', '/igemoji/api/v1/users/', {}, jsonBody({ email, password: 'passw0rd!', alias }), 201);
    const b = await call('POST', '/igemoji/api/v1/users/auth', {}, jsonBody({ email, password: 'passw0rd!' }), 200);
    return { authorization: b.access_token as string };
  };
  const asA = await user('idoremojia');
  const asB = await user('idoremojib');
  const pictures = await Promise.all(
    Array.from({ length: 7 }, (_, i) => sharp({ create: { width: 96, height: 96, channels: 3, background: { r: i * 30, g: 100, b: 200 - i * 20 } } }).jpeg().toBuffer()),
  );
  const fields = Object.fromEntries(pictures.map((p, i) => [i === 0 ? 'image' : `image${i}`, p]));
  const template = (await call('POST', '/igemoji/api/v1/emojis/', asA, form({ name: '색깔', ...fields }), 201)) as { id: number };
  const photo = await syntheticFace('jpeg', {}, 200);
  const task = (await call('POST', '/igemoji/api/v1/faces/results/tasks', asA, form({ emoji_id: template.id, image: photo }), 202)) as { task_id: string };
  return {
    app: 'igemoji',
    params: () => ({ id: String(template.id), task_id: task.task_id, uuid: task.task_id, emotion: 'happy', page: '1', case: 'result', n: '0' }),
    body: () => undefined,
    asA,
    asB,
    aReads: [
      { url: `/igemoji/api/v1/emojis/${template.id}`, expect: (r) => expect(r).toMatchObject({ id: template.id, name: '색깔' }) },
      { url: `/igemoji/api/v1/faces/results/tasks/${task.task_id}`, expect: (r) => expect(JSON.stringify(r)).not.toContain('"error"') },
    ],
  };
}

export async function ownedObjects(t: TestApp): Promise<Owned[]> {
  return [await machines(t), await mealbuddy(t), await zodiac(t), await igemoji(t)];
}
