// Attribution for the HTTP tail (docs/performance.md): one server with --trace-gc, a read endpoint
// under 50 connections, then the GC pauses by kind and the event-loop delay histogram the server
// kept meanwhile (bench/loop-probe.mjs, preloaded, prints monitorEventLoopDelay's percentiles at exit).
// `npx tsx bench/http.probe.ts [list|detail|current] [embedded|postgres]`
import { benchDatabase, cannon, DURATION } from './lib.js';
import { processEnv, startProcess } from '../test/spawn.js';

const which = process.argv[2] ?? 'list';
const mode = process.argv[3] ?? 'embedded';
let database: Awaited<ReturnType<typeof benchDatabase>>;
const env: Record<string, string> = { MADANG_APPS: 'mealbuddy' };
if (mode === 'postgres') {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  database = await benchDatabase('madang_bench_probe', 'probe');
  env.DATABASE_URL = database!.url;
  env.REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}
const proc = await startProcess('serve', processEnv(env), true, ['--trace-gc', '--import', `${import.meta.dirname}/loop-probe.mjs`, ...(process.env.PROBE_ALLOC ? ['--import', `${import.meta.dirname}/alloc-probe.mjs`] : []), ...(process.env.PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean)]);
const json = { 'content-type': 'application/json' };
const reg = (await (
  await fetch(`${proc.url}/api/user/register/`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email: 'p@example.com', username: 'probe', password: 'bench-password-1', password2: 'bench-password-1', address: '서울특별시 마포구 서교동' }),
  })
).json()) as { user: { token: string } };
const auth = { authorization: `Token ${reg.user.token}` };
let id = 0;
for (let i = 0; i < 200; i++) {
  const r = await fetch(`${proc.url}/api/post/write/`, { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify({ title: `t${i}`, category: '치킨', content: 'c', target_number: 4 }) });
  id = ((await r.json()) as { id: number }).id;
}
const url = { list: '/api/post/?page=1', detail: `/api/post/detail/${id}/`, current: '/api/user/current/' }[which]!;
proc.child.kill('SIGUSR2');
await new Promise((r) => setTimeout(r, 100));
const start = proc.output().length;
const r = await cannon({ url: `${proc.url}${url}`, headers: auth });
if (process.env.PROBE_ALLOC) {
  proc.child.kill('SIGUSR1');
  await new Promise((r) => setTimeout(r, 3000));
}
const during = proc.output().slice(start);
if (process.env.PROBE_DUMP) console.log(during.slice(0, 3000));
await proc.stop();
await database?.drop();
const pauses = new Map<string, number[]>();
let freedMb = 0;
for (const m of during.matchAll(/ms: ([A-Za-z-]+)[^\n]*? ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms/g)) {
  const list = pauses.get(m[1]!) ?? [];
  list.push(Number(m[4]));
  pauses.set(m[1]!, list);
  if (m[1] === 'Scavenge') freedMb += Number(m[2]) - Number(m[3]);
}
console.log(`${which} (${mode}): ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, p99.9 ${r.p999} ms over ${DURATION} s`);
console.log(`  young-generation garbage ≈ ${((freedMb * 1024) / Math.max(1, r.rps * DURATION)).toFixed(1)} KiB per request`);
for (const [kind, ms] of pauses) {
  ms.sort((a, b) => a - b);
  console.log(`  GC ${kind}: ${ms.length} pauses, total ${ms.reduce((a, b) => a + b, 0).toFixed(0)} ms, p50 ${ms[Math.floor(ms.length / 2)]} ms, max ${ms.at(-1)} ms`);
}
const loop = /event loop delay:[^\n]*/.exec(proc.output());
const alloc = /allocation sites[^]*?\n(?=\S|$)/.exec(proc.output());
if (alloc) console.log(alloc[0]);
console.log(`  ${loop?.[0] ?? '(no event loop probe line)'}`);
process.exit(0);
