// Preloaded into a server by bench/http.probe.ts (node --import): an event-loop delay histogram
// (perf_hooks.monitorEventLoopDelay, 1 ms resolution), written to stderr as one line at exit.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import process from 'node:process';

const h = monitorEventLoopDelay({ resolution: 1 });
h.enable();
// SIGUSR2: start over (the prober sends it when the load begins, so start-up is not counted)
process.on('SIGUSR2', () => h.reset());
const ms = (ns) => (ns / 1e6).toFixed(1);
process.on('exit', () => {
  h.disable();
  process.stderr.write(
    `event loop delay: p50 ${ms(h.percentile(50))} ms, p99 ${ms(h.percentile(99))} ms, p99.9 ${ms(h.percentile(99.9))} ms, max ${ms(h.max)} ms, ` +
      `over 2 ms: ${percentAbove(h, 2e6).toFixed(2)} % of samples\n`,
  );
});

function percentAbove(hist, ns) {
  let below = 0;
  for (const [p, v] of hist.percentiles) if (v <= ns) below = Math.max(below, p);
  return 100 - below;
}
