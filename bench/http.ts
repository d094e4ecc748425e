// HTTP overhead of the platform: bare node:http vs madang's /healthz, an authenticated
// GET /auth/api/me/ (JWT verify + session check + user row) and POST /auth/api/login/ (argon2id).
import { bareBaseline, cannon, DURATION, printTable, ratio, startServer } from './lib.js';

export default async function run(): Promise<void> {
  const server = await startServer();
  try {
    const base = `${server.url}`;
    const prefix = '/auth';
    const creds = { username: 'bench', password: 'benchpassword', nickname: 'bench' };
    const json = { 'content-type': 'application/json' };
    await fetch(`${base}${prefix}/api/signup/`, { method: 'POST', headers: json, body: JSON.stringify(creds) });
    const login = (await (
      await fetch(`${base}${prefix}/api/login/`, { method: 'POST', headers: json, body: JSON.stringify(creds) })
    ).json()) as { token: string };
    const auth = { authorization: `Bearer ${login.token}` };

    const bare = await bareBaseline(50, DURATION);
    const health = await cannon({ url: `${base}/healthz` });
    const me = await cannon({ url: `${base}${prefix}/api/me/`, headers: auth });
    const loginRun = await cannon({
      url: `${base}${prefix}/api/login/`,
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: creds.username, password: creds.password }),
      duration: Math.min(DURATION, 5),
    });
    const row = (name: string, r: typeof bare) => ({
      endpoint: name,
      'req/s': r.rps,
      'p50 ms': r.p50,
      'p99 ms': r.p99,
      'vs bare': ratio(r, bare),
      'errors/non-2xx': `${r.errors}/${r.non2xx}`,
    });
    printTable(`HTTP, 50 connections, ${DURATION} s each (embedded PGlite)`, [
      row('bare node:http', bare),
      row('GET /healthz', health),
      row('GET /auth/api/me/ (Bearer)', me),
      row('POST /auth/api/login/ (argon2id)', loginRun),
    ]);
  } finally {
    await server.stop();
  }
}
