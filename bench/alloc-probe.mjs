// Preloaded into a server (node --import) to find what a request allocates: SIGUSR2 starts V8's
// sampling heap profiler counting objects the minor and major GCs already collected (garbage is
// what costs scavenges); at exit the allocation sites are summed by function and written to
// stderr, largest first. Used by bench/http.probe.ts with PROBE_ALLOC=1 (docs/performance.md).
import { Session } from 'node:inspector';
import process from 'node:process';

const session = new Session();
session.connect();
const post = (method, params) =>
  new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
let started = false;
process.on('SIGUSR2', () => {
  if (started) return;
  started = true;
  void post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
});
process.on('SIGUSR1', () => {
  if (!started) return;
  session.post('HeapProfiler.stopSampling', (err, res) => {
    if (err) return;
    const byFn = new Map();
    let total = 0;
    const walk = (node, stack) => {
      const f = node.callFrame;
      const here = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/src\//, 'src/')}:${f.lineNumber + 1}`;
      if (node.selfSize) {
        byFn.set(here, (byFn.get(here) ?? 0) + node.selfSize);
        total += node.selfSize;
      }
      for (const c of node.children) walk(c, stack);
    };
    walk(res.profile.head, []);
    const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 40);
    process.stderr.write(`allocation sites (sampled bytes, ${total} total):\n${top.map(([k, v]) => `  ${((v / total) * 100).toFixed(1)}% ${k}`).join('\n')}\n`);
  });
});
