// npm run bench -- first-upload: the zodiac front end's first upload after a fresh start, as the
// original front does it (upload, wait 2 s, poll once). `serve` is started embedded with zodiac
// alone and a new data dir; the photo is uploaded (a) as soon as /readyz answers 200, and (b) once
// /readyz reports the face models ready (checks.vision). Prints the poll's answer at 2 s and when
// the analysis was done, per case, with the load average (times are wall clock, the machine is shared).
import os from 'node:os';
import { demoPhoto } from '../test/fixtures/images.js';
import { poll, upload, user } from '../test/fixtures/zodiac-http.js';
import { eventually, processEnv, startProcess, type Proc } from '../test/spawn.js';
import { printTable } from './lib.js';

const FRONT_POLL_MS = 2000;

async function visionState(api: Proc): Promise<string | undefined> {
  const res = await fetch(`${api.url}/readyz`);
  return ((await res.json()) as { checks?: { vision?: string } }).checks?.vision;
}

async function once(waitForVision: boolean): Promise<Record<string, string>> {
  const t0 = performance.now();
  const api = await startProcess('serve', processEnv({ MADANG_APPS: 'zodiac' }));
  try {
    const readyMs = performance.now() - t0;
    let visionMs = NaN;
    if (waitForVision) {
      await eventually(async () => (await visionState(api)) === 'ready', 120_000, 50);
      visionMs = performance.now() - t0;
    }
    const u = await user(api, `f${waitForVision ? 1 : 2}${Date.now() % 1e6}`);
    const photo = demoPhoto(1)!;
    const up = performance.now();
    const taskId = await upload(api, u, photo);
    await new Promise((r) => setTimeout(r, FRONT_POLL_MS - (performance.now() - up)));
    const atTwo = await poll(api, u, taskId);
    await eventually(async () => (await poll(api, u, taskId)).status === 'done', 120_000, 50);
    const doneMs = performance.now() - up;
    return {
      case: waitForVision ? 'upload once checks.vision = ready' : 'upload at the first /readyz 200',
      'start → /readyz 200': `${readyMs.toFixed(0)} ms`,
      'start → vision ready': Number.isNaN(visionMs) ? '-' : `${visionMs.toFixed(0)} ms`,
      'poll 2 s after upload': `${String(atTwo.status)}`,
      'upload → done (≤ 50 ms polls)': `${doneMs.toFixed(0)} ms`,
      load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    };
  } finally {
    await api.stop();
  }
}

export default async function run(): Promise<void> {
  if (!demoPhoto(1)) return console.log('\n(first-upload skipped: face-api demo photos not installed)');
  const rows = [await once(true), await once(false)];
  printTable('zodiac: first upload after a fresh start (embedded, zodiac alone)', rows);
}
