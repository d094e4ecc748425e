// zodiac embedded, as `npm start` runs it: one `serve` process on PGlite, jobs in-process, the
// face model in a worker thread of the API process; a restart resumes what was left pending.
import { afterAll, expect, it } from 'vitest';
import { syntheticFace } from '../fixtures/images.js';
import { poll, upload, user } from '../fixtures/zodiac-http.js';
import { eventually, processEnv, startProcess, type Proc } from '../process.js';

const procs: Proc[] = [];
afterAll(async () => {
  for (const p of procs) await p.stop();
});

it('upload → analysis in a worker thread of the API → result, and the API stays responsive meanwhile', async () => {
  const env = processEnv({ MADANG_APPS: 'zodiac' });
  const api = await startProcess('serve', env);
  procs.push(api);
  const u = await user(api, 'embed1');
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await upload(api, u, await syntheticFace('jpeg', { mouthHalf: 36 + i * 4 })));
  // the API answers while the model works (how quickly is bench/'s business, not this test's)
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  for (const id of ids) {
    const done = await eventually(async () => {
      const b = await poll(api, u, id);
      return b.status === 'done' ? b : undefined;
    }, 60_000, 200);
    expect(Object.keys(done.result as object)).toHaveLength(3);
  }
  await api.stop();
}, 120_000);

it('tasks still queued when the API stops are analysed after it starts again (the row is the truth)', async () => {
  // no worker: a poll is held (ZODIAC_POLL_WAIT_MS) for nothing; a short hold keeps the test short
  const env = processEnv({ MADANG_APPS: 'zodiac', RUN_WORKERS: 'false', ZODIAC_POLL_WAIT_MS: '200' });
  const first = await startProcess('serve', env);
  procs.push(first);
  const u = await user(first, 'embed2');
  const id = await upload(first, u, await syntheticFace());
  expect(await poll(first, u, id)).toMatchObject({ ai_result: 'notyet' });
  await first.stop();
  const second = await startProcess('serve', { ...env, RUN_WORKERS: 'true' });
  procs.push(second);
  const done = await eventually(async () => {
    const b = await poll(second, u, id);
    return b.status === 'done' ? b : undefined;
  }, 60_000, 200);
  expect(Object.keys(done.result as object)).toHaveLength(3);
}, 120_000);
