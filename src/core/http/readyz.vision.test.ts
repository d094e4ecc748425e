// /readyz reports the face models separately (checks.vision) and never fails because of them;
// a process whose apps do not analyse faces has no vision check at all.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAnalyzer } from '../../../test/fakes/fake-analyzer.js';
import { buildTestApp, json, type TestApp } from '../../../test/harness.js';
import type { VisionState } from '../vision/face-analyzer.js';

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

class StatefulAnalyzer extends FakeAnalyzer {
  now: VisionState = 'loading';
  state(): VisionState {
    return this.now;
  }
}

describe('/readyz and the face models', () => {
  it('reports loading, ready and failed as checks.vision, staying 200 while the database answers', async () => {
    const analyzer = new StatefulAnalyzer();
    const t = await buildTestApp({ apps: ['zodiac'], analyzer });
    open.push(t);
    for (const state of ['loading', 'ready', 'failed'] as const) {
      analyzer.now = state;
      const res = await t.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(200);
      expect(json(res)).toMatchObject({ status: 'ready', checks: { db: 'ok', vision: state } });
    }
  });

  it('no vision check for apps that do not analyse faces', async () => {
    const t = await buildTestApp({ apps: ['auth'] });
    open.push(t);
    const res = await t.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(json<{ checks: Record<string, string> }>(res).checks.vision).toBeUndefined();
  });
});
