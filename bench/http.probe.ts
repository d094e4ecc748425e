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
const proc = await startProcess('serve', processEnv(env), true, ['--trace-gc', '--import', `${import.meta.dirname}/loop-probe.mjs`]);
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
const start = proc.output().length;
const r = await cannon({ url: `${proc.url}${url}`, headers: auth });
const during = proc.output().slice(start);
await proc.stop();
await database?.drop();
const pauses = new Map<string, number[]>();
for (const m of during.matchAll(/\] +([A-Za-z-]+)[^,]*?, ([\d.]+) \/ [\d.]+ ms/g)) {
  const list = pauses.get(m[1]!) ?? [];
  list.push(Number(m[2]));
  pauses.set(m[1]!, list);
}
console.log(`${which} (${mode}): ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, p99.9 ${r.p999} ms over ${DURATION} s`);
for (const [kind, ms] of pauses) {
  ms.sort((a, b) => a - b);
  console.log(`  GC ${kind}: ${ms.length} pauses, total ${ms.reduce((a, b) => a + b, 0).toFixed(0)} ms, p50 ${ms[Math.floor(ms.length / 2)]} ms, max ${ms.at(-1)} ms`);
}
const loop = /event loop delay:[^\n]*/.exec(proc.output());
console.log(`  ${loop?.[0] ?? '(no event loop probe line)'}`);
process.exit(0);
