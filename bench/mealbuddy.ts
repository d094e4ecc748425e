// mealbuddy: authenticated post list and detail with 10,000 posts in the viewer's district (50
// connections, against bare node:http in the same run); WebSocket fan-out to 1,000 members of one
// room (100 messages, delivery latency and server RSS); 10,000 idle sockets' RSS.
// Needs PostgreSQL (DATABASE_URL; own database madang_bench_mealbuddy, dropped at the end); uses
// Redis pub/sub when REDIS_URL is set. Members, sessions and tokens are written straight to the
// database (hashing 1,000 passwords through the API would measure argon2, not the app).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { TokenCodec } from '../src/core/identity/tokens.js';
import { TEST_SECRET } from '../test/spawn.js';
import { bareBaseline, benchDatabase, cannon, DURATION, printTable, ratio, startServer } from './lib.js';

const DB = 'madang_bench_mealbuddy';
const ADDRESS = '서울특별시 마포구 서교동';
const POSTS = 10_000;
const MEMBERS = 1_000;
const MESSAGES = 100;
/** messages a second into the room (a busy chat), from ten members in turn */
const SEND_RATE = Number(process.env.BENCH_SEND_RATE ?? 10);
const IDLE = Number(process.env.BENCH_IDLE_SOCKETS ?? 10_000);

export default async function run(): Promise<void> {
  const database = await benchDatabase(DB, 'mealbuddy');
  if (!database) return;
  const url = new URL(database.url);
  const redis = process.env.REDIS_URL;
  const server = await startServer({ DATABASE_URL: url.toString(), MADANG_APPS: 'mealbuddy', JWT_SECRET: TEST_SECRET, ...(redis ? { REDIS_URL: redis } : {}) });
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  const sockets: WebSocket[] = [];
  try {
    const reg = await fetch(`${server.url}/api/user/register/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.com', username: 'bench', password: 'bench-password-1', password2: 'bench-password-1', address: ADDRESS }),
    }).then((r) => r.json() as Promise<{ user: { id: number; token: string } }>);
    const writerId = reg.user.id;
    const auth = { authorization: `Token ${reg.user.token}` };
    const post = await fetch(`${server.url}/api/post/write/`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: '벤치', category: '치킨', content: 'bench', target_number: 10 }),
    }).then((r) => r.json() as Promise<{ id: number; chat_id: number }>);

    await db.query(
      `with p as (
         insert into mealbuddy_posts (title, category, content, writer_id, address, target_number, join_number, created_at)
         select 'post ' || g, (array['치킨','피자','중식','분식'])[1 + g % 4], 'content ' || g, $1, $2, 4, 1, now() - g * interval '1 minute'
         from generate_series(1, $3::int) g returning id)
       insert into mealbuddy_chat_rooms (post_id) select id from p`,
      [writerId, ADDRESS, POSTS - 1],
    );
    await db.query('analyze');

    const base = await bareBaseline(50);
    const list = await cannon({ url: `${server.url}/api/post/?page=1`, headers: auth, connections: 50 });
    const detail = await cannon({ url: `${server.url}/api/post/detail/${post.id}/`, headers: auth, connections: 50 });
    const deep = await cannon({ url: `${server.url}/api/post/?page=1000`, headers: auth, connections: 50 });
    printTable(`mealbuddy HTTP, 50 connections, ${DURATION} s each (PostgreSQL${redis ? ' + Redis' : ''}, ${POSTS.toLocaleString('en')} posts in the district)`, [
      { endpoint: 'bare node:http (baseline)', 'req/s': base.rps, 'p50 ms': base.p50, 'p99 ms': base.p99, 'vs bare': '100%', 'errors/non-2xx': `${base.errors}/${base.non2xx}` },
      ...([['GET /api/post/?page=1', list], [`GET /api/post/detail/${post.id}/`, detail], ['GET /api/post/?page=1000 (last page)', deep]] as const).map(([endpoint, r]) => ({
        endpoint, 'req/s': r.rps, 'p50 ms': r.p50, 'p99 ms': r.p99, 'vs bare': ratio(r, base), 'errors/non-2xx': `${r.errors}/${r.non2xx}`,
      })),
    ]);

    // 1,000 members of one room, each with a session and a token minted with the server's secret
    const codec = new TokenCodec(TEST_SECRET);
    const ids = (
      await db.query<{ id: number }>(
        `insert into mealbuddy_users (email, username, password_hash, address)
         select 'm' || g || '@example.com', 'member' || g, 'x', $1 from generate_series(1, $2::int) g returning id`,
        [ADDRESS, MEMBERS - 1],
      )
    ).rows.map((r) => Number(r.id));
    await db.query(`insert into mealbuddy_chat_joins (room_id, user_id) select $1, unnest($2::bigint[])`, [post.chat_id, ids]);
    const tokens = [reg.user.token];
    const sessions: Array<[string, number, string]> = [];
    for (const id of ids) {
      const sid = randomUUID();
      sessions.push([sid, id, randomUUID()]);
      tokens.push(codec.issue('mealbuddy', 'access', id, sid, 86_400).token);
    }
    await db.query(
      `insert into core_sessions (id, app, user_id, refresh_jti, expires_at)
       select s, 'mealbuddy', u, j, now() + interval '1 day' from unnest($1::text[], $2::bigint[], $3::text[]) as t(s, u, j)`,
      [sessions.map((s) => s[0]), sessions.map((s) => s[1]), sessions.map((s) => s[2])],
    );

    const wsUrl = (token: string) => `${server.url.replace('http', 'ws')}/ws/chat/${post.chat_id}/?token=${token}`;
    const rssBefore = treeRss(server.pid);
    const latencies: number[] = [];
    const received = new Map<number, number>();
    const members = await connectAll(tokens.map(wsUrl), 100, (ws, i) => {
      ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as { type: string; message?: { message: string } };
        const m = /^b:(\d+):(\d+)$/.exec(f.message?.message ?? '');
        if (!m) return;
        latencies.push(Date.now() - Number(m[1]));
        received.set(i, (received.get(i) ?? 0) + 1);
      });
    });
    sockets.push(...members);
    // every socket is subscribed once a probe reaches all of them
    const probe = await waitUntil(async () => {
      received.clear();
      members[0]!.send(JSON.stringify({ message: `b:${Date.now()}:0` }));
      await sleep(500);
      return received.size >= members.length;
    }, 30_000);
    if (!probe) throw new Error(`only ${received.size} of ${members.length} members got the probe`);
    latencies.length = 0;
    received.clear();
    const senders = members.slice(0, 10);
    for (let i = 0; i < MESSAGES; i++) {
      senders[i % senders.length]!.send(JSON.stringify({ message: `b:${Date.now()}:${i + 1}` }));
      await sleep(1000 / SEND_RATE);
    }
    await waitUntil(async () => latencies.length >= MESSAGES * members.length, 30_000);
    const rssFanout = treeRss(server.pid);
    latencies.sort((x, y) => x - y);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    printTable(`mealbuddy WebSocket fan-out (one room, ${SEND_RATE} messages/s)`, [
      {
        members: members.length,
        messages: MESSAGES,
        deliveries: `${latencies.length.toLocaleString('en')} / ${(MESSAGES * members.length).toLocaleString('en')}`,
        'p50 ms': pct(50),
        'p99 ms': pct(99),
        'max ms': latencies.at(-1) ?? NaN,
        'server RSS before → after (MiB)': `${rssBefore} → ${rssFanout}`,
      },
    ]);

    for (const ws of sockets.splice(0)) ws.terminate();
    await sleep(1000);
    const rssIdleBefore = treeRss(server.pid);
    const idle = await connectAll(Array.from({ length: IDLE }, (_, i) => wsUrl(tokens[i % tokens.length]!)), 200);
    sockets.push(...idle);
    await sleep(3000);
    const open = idle.filter((ws) => ws.readyState === WebSocket.OPEN).length;
    const rssIdle = treeRss(server.pid);
    printTable('mealbuddy idle sockets', [
      { sockets: IDLE, open, 'server RSS before (MiB)': rssIdleBefore, 'server RSS with sockets (MiB)': rssIdle, 'per socket (KiB)': Math.round(((rssIdle - rssIdleBefore) * 1024) / Math.max(open, 1)) },
    ]);
  } finally {
    for (const ws of sockets) ws.terminate();
    await db.end();
    await server.stop();
    await database.drop();
  }
}

/** opens sockets `batch` at a time; resolves with those that opened */
async function connectAll(urls: string[], batch: number, setup?: (ws: WebSocket, i: number) => void): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  for (let i = 0; i < urls.length; i += batch) {
    const chunk = urls.slice(i, i + batch).map(
      (u, j) =>
        new Promise<WebSocket | undefined>((resolve) => {
          const ws = new WebSocket(u);
          setup?.(ws, i + j);
          ws.once('open', () => resolve(ws));
          ws.once('error', () => resolve(undefined));
        }),
    );
    for (const ws of await Promise.all(chunk)) if (ws) out.push(ws);
  }
  return out;
}

/** RSS in MiB of a process and its children (tsx runs the server in a child node process) */
function treeRss(pid: number): number {
  let pids = [pid];
  try {
    pids = pids.concat(execFileSync('pgrep', ['-P', String(pid)]).toString().trim().split('\n').filter(Boolean).map(Number));
  } catch {
    // no children
  }
  let kb = 0;
  for (const p of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(execFileSync('cat', [`/proc/${p}/status`]).toString())?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return Math.round(kb / 1024);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(fn: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await sleep(100);
  }
  return false;
}
