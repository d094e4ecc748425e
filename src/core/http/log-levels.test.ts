// What the server logs when it refuses: a refusal is an answer, not a fault. 4xx, 503 "not
// configured", an overload 503 and a WebSocket closed with 1009 (frame too big) are never logged at
// error level or with a stack trace; the test reads the server's real log lines.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';
import { overloaded } from '../../../test/overload.js';

interface Line {
  level: number;
  msg?: string;
  code?: string;
  status?: number;
  err?: { stack?: string };
}

function capture() {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, stream) };
}

const ERROR = 50;
const faults = (lines: Line[]) => lines.filter((l) => l.level >= ERROR || l.err?.stack !== undefined || JSON.stringify(l).includes('"stack"'));

async function machinesToken(t: TestApp): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/machines/api/sign-up/', payload: { username: 'logger', password: 'logger-pass-1', email: 'logger@example.com' } });
  return json<{ result: { token: { access: string } } }>(res).result.token.access;
}

describe('log levels of refused requests', () => {
  it('4xx, 503 weather not configured and a WebSocket closed with 1009: no error level, no stack', async () => {
    const { lines, logger } = capture();
    const t = await buildTestApp({ apps: ['mealbuddy', 'machines'], logger, env: { WEATHER_PROVIDER: 'none' } });
    expect((await t.app.inject({ method: 'POST', url: '/mealbuddy/api/user/login/', payload: {} })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/mealbuddy/api/user/current/' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/nothing/here/' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PATCH', url: '/machines/api/machines/' })).statusCode).toBe(405);
    const reg = await t.app.inject({
      method: 'POST',
      url: '/mealbuddy/api/user/register/',
      payload: { email: 'wx@example.com', username: 'wx', password: 'correct-horse-battery', password2: 'correct-horse-battery', address: '서울' },
    });
    const token = json<{ user: { token: string } }>(reg).user.token;
    const weather = await t.app.inject({ url: '/mealbuddy/api/openAPI/weather/?lat=37.5&lon=127', headers: { authorization: `Token ${token}` } });
    expect(weather.statusCode).toBe(503);

    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`${address.replace('http', 'ws')}/machines/ws/machines/?token=${await machinesToken(t)}`);
    await new Promise((resolve, reject) => {
      ws.on('message', resolve);
      ws.on('error', reject);
    });
    ws.send(Buffer.alloc(70 * 1024, 'x'));
    expect(await new Promise((resolve) => ws.on('close', (code) => resolve(code)))).toBe(1009);
    // the server has handled the client error once it logs it
    await expect.poll(() => lines.some((l) => l.msg === 'websocket closed by a client error')).toBe(true);

    // the log was captured (a refusal the operator may want: a warning with its code)
    expect(lines.find((l) => l.code === 'WEATHER_NOT_CONFIGURED')).toMatchObject({ level: 40, status: 503 });
    expect(faults(lines)).toEqual([]);
  });

  it('an overload 503 is a warning with its code, not an error with a stack', async () => {
    const { lines, logger } = capture();
    const t = await buildTestApp({ apps: ['auth'], logger, env: { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '1' } });
    const res = await overloaded(t.app);
    expect(res.statusCode).toBe(503);
    expect(lines.find((l) => l.code === 'SERVICE_UNAVAILABLE')).toMatchObject({ level: 40, status: 503 });
    expect(faults(lines)).toEqual([]);
  });
});
