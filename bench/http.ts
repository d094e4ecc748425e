// HTTP reads and login at the machine's limit (docs/performance.md): mealbuddy's post list
// (GET /api/post/?page=1 with 200 posts in the district), a post's detail, GET /api/user/current/
// (a fresh token each call) and POST /api/user/login/ (argon2id), all with `Authorization: Token …`
// as the original front end sends it, against bare node:http measured just before, in one run and in
// both modes: embedded (PGlite, in-process queue) and PostgreSQL + Redis (own database
// madang_bench_http, dropped at the end; DATABASE_URL / REDIS_URL, else the local defaults).
// Prints req/s, p50/p99/p99.9 and the ratio to bare; login is also compared with its ceiling,
// cores ÷ one hash's CPU time, and the server's CPU per login split into its main thread and the
// rest (libuv's pool, where the hashes run, and GC helpers).
// BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 50), BENCH_MODES (embedded,postgres),
// BENCH_NODE_ARGS (extra flags for the server, e.g. "--trace-gc").
import os from 'node:os';
import { verify } from '@node-rs/argon2';
import { hashPassword } from '../src/core/identity/password.js';
import { bareBaseline, benchDatabase, cannon, DURATION, printTable, type Result, startServer, threadCpu } from './lib.js';

const POSTS = 200;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ADDRESS = '서울특별시 마포구 서교동';
const PASSWORD = 'bench-password-1';
const MODES = (process.env.BENCH_MODES ?? 'embedded,postgres').split(',');
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

export default async function run(): Promise<void> {
  const hashMs = await oneHashCpuMs();
  const cores = os.availableParallelism();
  const ceiling = (cores * 1000) / hashMs;
  console.log(`one argon2id verify: ${hashMs.toFixed(1)} ms CPU; login ceiling ${cores} cores ÷ that = ${ceiling.toFixed(1)} req/s`);
  console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const mode of MODES) {
    if (mode === 'embedded') await runMode('embedded (PGlite, in-process queue)', {}, ceiling);
    else if (mode === 'postgres') {
      const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
      const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
      const saved = process.env.DATABASE_URL;
      process.env.DATABASE_URL = admin;
      const database = await benchDatabase('madang_bench_http', 'http').catch((err: unknown) => {
        console.log(`http bench: PostgreSQL at ${admin} unreachable (${String(err)}); postgres mode skipped`);
        return undefined;
      });
      if (saved === undefined) delete process.env.DATABASE_URL;
      if (!database) continue;
      try {
        await runMode('PostgreSQL + Redis', { DATABASE_URL: database.url, REDIS_URL: redis }, ceiling);
      } finally {
        await database.drop();
      }
    } else throw new Error(`BENCH_MODES: unknown mode ${mode}`);
  }
  console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

async function runMode(title: string, env: Record<string, string>, ceiling: number): Promise<void> {
  const server = await startServer({ MADANG_APPS: 'mealbuddy', ...env }, NODE_ARGS);
  try {
    const base = server.url;
    const json = { 'content-type': 'application/json' };
    const reg = (await (
      await fetch(`${base}/api/user/register/`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'bench@example.com', username: 'bench', password: PASSWORD, password2: PASSWORD, address: ADDRESS }),
      })
    ).json()) as { user: { token: string } };
    const auth = { authorization: `Token ${reg.user.token}` };
    let postId = 0;
    for (let i = 0; i < POSTS; i++) {
      const res = await fetch(`${base}/api/post/write/`, {
        method: 'POST',
        headers: { ...auth, ...json },
        body: JSON.stringify({ title: `벤치 ${i}`, category: ['치킨', '피자', '중식', '분식'][i % 4], content: `bench ${i}`, target_number: 4 }),
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`write post: ${res.status} ${await res.text()}`);
      if (i === POSTS / 2) postId = ((await res.json()) as { id: number }).id;
      else await res.arrayBuffer();
    }

    const bare = await bareBaseline(CONNECTIONS, DURATION);
    const list = await cannon({ url: `${base}/api/post/?page=1`, headers: auth, connections: CONNECTIONS });
    const detail = await cannon({ url: `${base}/api/post/detail/${postId}/`, headers: auth, connections: CONNECTIONS });
    const current = await cannon({ url: `${base}/api/user/current/`, headers: auth, connections: CONNECTIONS });
    const cpuBefore = await threadCpu(server.pid);
    const login = await cannon({
      url: `${base}/api/user/login/`,
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'bench@example.com', password: PASSWORD }),
      connections: CONNECTIONS,
    });
    const cpuAfter = await threadCpu(server.pid);
    const logins = login.rps * DURATION;
    const loginCpu =
      cpuBefore && cpuAfter && logins > 0
        ? `CPU per login: main thread ${(((cpuAfter.main - cpuBefore.main) * 1000) / logins).toFixed(2)} ms, other threads (hashing, GC) ${(((cpuAfter.others - cpuBefore.others) * 1000) / logins).toFixed(2)} ms`
        : undefined;
    const row = (endpoint: string, r: Result, vs: string) => ({
      endpoint,
      'req/s': r.rps,
      'p50 ms': r.p50,
      'p99 ms': r.p99,
      'p99.9 ms': r.p999,
      'vs bare': vs,
      'errors/non-2xx': `${r.errors}/${r.non2xx}`,
    });
    const pct = (r: Result, of: number) => `${((r.rps / of) * 100).toFixed(0)}%`;
    printTable(`HTTP ${title}: ${CONNECTIONS} connections, ${DURATION} s each, ${POSTS} posts, load ${os.loadavg()[0]!.toFixed(2)}`, [
      row('bare node:http', bare, '100%'),
      row('GET /api/post/?page=1', list, pct(list, bare.rps)),
      row(`GET /api/post/detail/{id}/`, detail, pct(detail, bare.rps)),
      row('GET /api/user/current/', current, pct(current, bare.rps)),
      row('POST /api/user/login/ (argon2id)', login, `${pct(login, ceiling)} of ceiling`),
    ]);
    if (loginCpu) console.log(`\n${loginCpu}`);
  } finally {
    await server.stop();
  }
}

/** CPU time of one argon2id verify at the stored parameters (median of 5, on the libuv pool) */
async function oneHashCpuMs(): Promise<number> {
  const stored = await hashPassword(PASSWORD);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = process.cpuUsage();
    await verify(stored, PASSWORD);
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[2]!;
}
