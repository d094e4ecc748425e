// deploy/'s topology, natively: nginx → 2 API processes → PostgreSQL + Redis, 2 workers, uploads in
// an S3-compatible bucket (s3rver on loopback) and a data directory of its own per process.
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticFace } from '../fixtures/images.js';
import { eventually, realServices } from '../process.js';
import { startTopology, type Topology } from '../topology.js';
import { ADDRESS, PASSWORD } from './mealbuddy-helpers.js';
import { connectChat, type Client } from './mealbuddy-ws.js';

let topo: Topology;
beforeAll(async () => {
  topo = await startTopology(realServices()!, { s3: true, env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_AUTH_MAX: '5', RATE_LIMIT_MAX: '100000' } });
}, 120_000);
const sockets: Client[] = [];
afterAll(async () => {
  for (const c of sockets) c.ws.terminate();
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
    // B hears the revocation through Redis pub/sub: wait for it, however long the hop takes
    await eventually(async () => (await me(b!.url)).status === 401, 10_000, 20);
  });

  it('a zodiac photo uploaded to A is analysed by a worker process and served by B (shared S3 storage)', async () => {
    const [a, b] = topo.apis;
    // a client address of its own: the credential routes' rate limit is per address
    const from = { 'x-forwarded-for': '10.9.8.21' };
    const account = { username: 'topos3', password: 'Passw0rd!', email: 'topos3@example.com', alias: 'topos3' };
    expect((await post(a!.url, '/zodiac/api/users/', account, from)).status).toBe(201);
    const login = await post(a!.url, '/zodiac/api/users/auth', { username: account.username, password: account.password }, from);
    const { access_token: token, uuid } = (await login.json()) as { access_token: string; uuid: string };
    const auth = { authorization: token };

    const fd = new FormData();
    fd.append('filename', new Blob([new Uint8Array(await syntheticFace())], { type: 'image/jpeg' }), 'face.jpg');
    const up = await fetch(`${a!.url}/zodiac/api/users/${uuid}/results/tasks`, { method: 'POST', headers: auth, body: fd });
    expect(up.status, await up.clone().text()).toBe(202);
    const { task_id, picuuid } = (await up.json()) as { task_id: string; picuuid: string };

    // the APIs run no jobs here (Redis is set): only a worker process can finish the task
    const done = await eventually(async () => {
      const res = await fetch(`${b!.url}/zodiac/api/users/${uuid}/results/tasks/${task_id}`, { headers: auth });
      const body = (await res.json()) as Record<string, unknown>;
      if (body.status === 'failed') throw new Error(JSON.stringify(body));
      return body.status === 'done' ? body : undefined;
    }, 120_000, 500);
    expect(done).toMatchObject({ picuuid, task_id });
    expect(Object.keys(done.result as object)).toHaveLength(3);

    const picture = await fetch(`${b!.url}${done.userimage as string}`);
    const thumbnail = await fetch(`${b!.url}${done.thumbnail as string}`);
    expect([picture.status, thumbnail.status]).toEqual([200, 200]);
    expect(picture.headers.get('content-type')).toBe('image/jpeg');
    const [pictureBytes, thumbnailBytes] = [Buffer.from(await picture.arrayBuffer()), Buffer.from(await thumbnail.arrayBuffer())];
    expect((await sharp(pictureBytes).metadata()).width).toBe(400);
    expect((await sharp(thumbnailBytes).metadata()).width).toBeLessThanOrEqual(256);

    // what B served is what A wrote to the bucket, byte for byte
    const { client, bucket } = topo.s3!;
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'zodiac/' }));
    const objects = await Promise.all(
      (listed.Contents ?? []).map(async (o) => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToByteArray())),
    );
    expect(objects).toHaveLength(2);
    expect(objects.some((o) => o.equals(pictureBytes))).toBe(true);
    expect(objects.some((o) => o.equals(thumbnailBytes))).toBe(true);
  }, 150_000);

  it('a mealbuddy chat message sent by a member connected to A reaches a member connected to B', async () => {
    const [a, b] = topo.apis;
    const register = async (base: string, username: string, ip: string) => {
      const res = await post(base, '/mealbuddy/api/user/register/', { email: `${username}@example.com`, username, password: PASSWORD, password2: PASSWORD, address: ADDRESS }, { 'x-forwarded-for': ip });
      expect(res.status).toBe(201);
      return ((await res.json()) as { user: { id: number; token: string } }).user;
    };
    const alice = await register(a!.url, 'topoalice', '10.9.8.31');
    const bob = await register(b!.url, 'topobob', '10.9.8.32');
    const written = await post(a!.url, '/mealbuddy/api/post/write/', { title: '같이 시켜요', category: '치킨', content: '두 마리', target_number: 4 }, { authorization: `Token ${alice.token}` });
    expect(written.status).toBe(201);
    const { chat_id } = (await written.json()) as { chat_id: number };
    expect((await post(b!.url, `/mealbuddy/api/chat/${chat_id}/`, {}, { authorization: `Token ${bob.token}` })).status).toBe(200);

    const onA = connectChat(`${a!.url}/mealbuddy`, chat_id, alice.token);
    const onB = connectChat(`${b!.url}/mealbuddy`, chat_id, bob.token);
    sockets.push(onA, onB);
    // a socket is subscribed once its own message comes back to it
    for (const [c, text] of [[onA, 'alice ready'], [onB, 'bob ready']] as const) {
      c.send({ message: text });
      await c.next((f) => f.type === 'chat.message' && f.message?.message === text, 10_000);
    }
    onA.send({ message: 'A에서 보낸 메시지' });
    const got = await onB.next((f) => f.type === 'chat.message' && f.message?.message === 'A에서 보낸 메시지', 10_000);
    expect(got.message!.user).toMatchObject({ id: alice.id, username: 'topoalice' });
    expect(got.message!.chatroom).toBe(chat_id);
  }, 30_000);

  it('SIGTERM on one API under load: nginx drops no request', async () => {
    let answered = 0;
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ url: `${topo.url}/healthz`, connections: 20, duration: 4 }, (err, res) => (err ? reject(err) : resolve(res)));
      instance.on('response', () => {
        if (++answered === 200) void topo.apis[0]!.stop('SIGTERM'); // once the load is flowing
      });
    });
    const summary = { total: result.requests.total, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, codes: result.statusCodeStats };
    expect(summary).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0 });
    expect(result.requests.total).toBeGreaterThan(200);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(topo.apis[0]!.child.exitCode).toBe(0);
  }, 30_000);
});
