// Graceful shutdown of a real server process: SIGTERM closes WebSockets with 1001 ("going away",
// so clients reconnect elsewhere), lets an in-flight request finish, and exits 0.
import { request } from 'node:http';
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { processEnv, startProcess } from '../process.js';

it('SIGTERM: sockets closed with 1001, in-flight request answered, exit code 0', async () => {
  const api = await startProcess('serve', processEnv({ MADANG_APPS: 'machines' }));
  const signup = await fetch(`${api.url}/api/sign-up/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bye', password: 'bye-password', email: 'bye@example.com' }),
  });
  const signedUp = (await signup.json()) as { result?: { token: { access: string } } };
  expect(signup.status, JSON.stringify(signedUp)).toBe(201);
  const token = signedUp.result!.token.access;

  const socket = new WebSocket(`${api.url.replace('http', 'ws')}/ws/machines/?token=${token}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

  // an argon2 login is slow enough to still be running when the signal arrives
  const body = JSON.stringify({ username: 'bye', password: 'bye-password' });
  let sent!: () => void;
  const wholeRequestSent = new Promise<void>((r) => (sent = r));
  const inFlight = new Promise<{ status: number }>((resolve, reject) => {
    const req = request(`${api.url}/api/log-in/`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.on('finish', () => sent()); // the whole request is on the wire before the signal
    req.end(body);
  });
  await wholeRequestSent;
  // an answer on another connection means the server's loop has turned since the login's bytes
  // arrived, so it has read that request (and Fastify counts it as in flight) before the signal
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  const exited = new Promise<number | null>((resolve) => api.child.once('exit', (code) => resolve(code)));
  api.child.kill('SIGTERM');

  expect(await closed).toBe(1001);
  expect((await inFlight).status).toBe(200);
  const code = await exited;
  expect(code).toBe(0);
}, 120_000);
