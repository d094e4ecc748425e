// npm run bench -- first-upload: the zodiac front end's first upload after a fresh start, as the
// original front does it (upload, wait 2 s, poll once). `serve` is started embedded with zodiac
// alone and a new data dir, once per row; a portrait (what the page is for) is uploaded once
// /readyz reports the face models ready (checks.vision) and as soon as /readyz answers 200, and a
// group photo once the models are ready. Prints what the 2 s poll answers and when (a poll of an
// unfinished analysis is held until it ends), with the load average (wall-clock times: the machine
// is shared).
import os from 'node:os';
import sharp from 'sharp';
import { demoPhoto } from '../test/fixtures/images.js';
import { poll, upload, user } from '../test/fixtures/zodiac-http.js';
import { eventually, processEnv, startProcess, type Proc } from '../test/spawn.js';
import { printTable } from './lib.js';

const FRONT_POLL_MS = 2000;

async function visionState(api: Proc): Promise<string | undefined> {
  const res = await fetch(`${api.url}/readyz`);
  return ((await res.json()) as { checks?: { vision?: string } }).checks?.vision;
}

async function once(waitForVision: boolean, photo: Buffer, what: string): Promise<Record<string, string>> {
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
    const up = performance.now();
    const taskId = await upload(api, u, photo);
    // the front polls once, 2 s after the upload, and shows what it gets: that poll's answer and
    // when it came (a poll of an unfinished analysis is held until it ends, ZODIAC_POLL_WAIT_MS)
    await new Promise((r) => setTimeout(r, FRONT_POLL_MS - (performance.now() - up)));
    const atTwo = (await poll(api, u, taskId)).status;
    const answeredMs = performance.now() - up;
    return {
      photo: what,
      upload: waitForVision ? 'once checks.vision = ready' : 'at the first /readyz 200',
      'start → /readyz 200': `${readyMs.toFixed(0)} ms`,
      'start → vision ready': Number.isNaN(visionMs) ? '-' : `${visionMs.toFixed(0)} ms`,
      'the poll sent 2 s after upload answers': String(atTwo),
      'upload → that answer': `${answeredMs.toFixed(0)} ms`,
      load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    };
  } finally {
    await api.stop();
  }
}

export default async function run(): Promise<void> {
  const group = demoPhoto(1);
  if (!group) return console.log('\n(first-upload skipped: face-api demo photos not installed)');
  // what the zodiac front is for: one person; cut here from the demo photo (its left-hand woman)
  const portrait = await sharp(group).extract({ left: 0, top: 0, width: 760, height: 1140 }).jpeg({ quality: 90 }).toBuffer();
  const rows = [
    await once(true, portrait, 'portrait 760×1140'),
    await once(false, portrait, 'portrait 760×1140'),
    await once(true, group, 'group of 3, 1920×1280'),
  ];
  printTable('zodiac: first upload after a fresh start (embedded, zodiac alone)', rows);
}
