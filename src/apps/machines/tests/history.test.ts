import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../../../../test/harness.js';
import { createMachine, history, http, operate, runToEnd, signUp, type Body } from './helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({ apps: ['machines'] });
});

/** 30 finished runs a minute apart, ending now: results cycle 1, 2, 4; commands alternate */
async function seedRuns(machineId: number, workerId: number, ownerId: number) {
  await t.container.core.db.execute(sql`
    insert into machines_runs (machine_id, worker_id, machine_owner_id, command, status, result, request_datetime, finished_at)
    select ${machineId}, ${workerId}, ${ownerId}, case when g % 2 = 0 then 'START' else 'STOP' end, 'done',
           (array[1, 2, 4])[1 + g % 3], now() - (30 - g) * interval '1 minute', now()
    from generate_series(1, 30) g`);
}

describe('history (docs/apps/machines.md §3.11, §3.12, §9.15)', () => {
  it('newest first, paginated with headers, filtered by command, result and time range', async () => {
    const a = await signUp(t);
    const m = await createMachine(t, a);
    await seedRuns(m.id, a.id, a.id);
    const url = `/api/machines/${m.id}/history/`;
    const all = await history(t, a, url);
    expect(all).toHaveLength(30);
    const times = all.map((r) => Date.parse((r as unknown as { request_datetime: string }).request_datetime));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(Object.keys(all[0]!).slice(0, 8)).toEqual([
      'id', 'request_datetime', 'command', 'worker', 'machine_id', 'result', 'machine_owner_id', 'created_at',
    ]);

    const res = await http(t).get(`${url}?page=2&page_size=7`, a.token);
    expect(json<{ result: Array<{ id: number }> }>(res).result.map((r) => r.id)).toEqual(all.slice(7, 14).map((r) => r.id));
    expect(res.headers['x-has-next']).toBe('true');
    expect(res.headers.link).toMatch(/page=3.*rel="next".*page=1.*rel="prev"/);

    expect((await history(t, a, `${url}?command=start`)).every((r) => r.command === 'START')).toBe(true);
    expect(await history(t, a, `${url}?command=start`)).toHaveLength(15);
    expect((await history(t, a, `${url}?result=2`)).every((r) => r.result === 2)).toBe(true);
    expect(await history(t, a, `${url}?result=2&command=STOP`)).toHaveLength(all.filter((r) => r.result === 2 && r.command === 'STOP').length);
    const from = new Date(Date.now() - 10.5 * 60_000).toISOString();
    const to = new Date(Date.now() - 4.5 * 60_000).toISOString();
    expect(await history(t, a, `${url}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).toHaveLength(6);

    for (const bad of ['result=9', 'result=x', 'command=JUMP', 'from=yesterday', 'from=2024-02-30', 'to=2024-04-31T10:00:00Z', 'from=2024-03-01T24:00']) {
      const r = await http(t).get(`${url}?${bad}`, a.token);
      expect(r.statusCode, bad).toBe(400);
      expect(json<Body>(r)).toMatchObject({ status: 0, error_code: 2 });
    }
  });

  it('user history: commands the caller issued, on any machine (the original filter); scope=owned: runs on my machines', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const ma = await createMachine(t, a);
    const mb = await createMachine(t, b);
    await runToEnd(t, a, ma.id, 'START');
    await runToEnd(t, b, mb.id, 'START');
    expect((await operate(t, a, ma.id, 'START')).res.statusCode).toBe(409); // result 7, a's own
    // issue 15 #8: strangers' commands are 404 and leave no row in either history
    expect((await operate(t, a, mb.id, 'STOP')).res.statusCode).toBe(404);
    expect((await operate(t, b, ma.id, 'STOP')).res.statusCode).toBe(404);
    const issued = await history(t, a, '/api/user/machines/history/');
    expect(issued.map((r) => [r.machine_id, r.result])).toEqual([[ma.id, 7], [ma.id, 1]]);
    expect(await history(t, a, '/api/machines/history/')).toEqual(issued);
    const owned = await history(t, a, '/api/user/machines/history/?scope=owned');
    expect(owned.map((r) => [r.worker, r.result])).toEqual([[a.id, 7], [a.id, 1]]);
    expect(await history(t, b, '/api/user/machines/history/?scope=owned')).toHaveLength(1);
    expect(await history(t, a, `/api/user/machines/history/?result=5`)).toHaveLength(0);
  });

  it('request_datetime is an aware UTC time close to now (docs/apps/machines.md §9.7)', async () => {
    const a = await signUp(t);
    const m = await createMachine(t, a);
    const run = await runToEnd(t, a, m.id, 'START');
    const got = json<{ result: { request_datetime: string } }>(await http(t).get(`/api/machines/${m.id}/runs/${run.id}/`, a.token));
    expect(got.result.request_datetime).toMatch(/Z$/);
    expect(Math.abs(Date.parse(got.result.request_datetime) - Date.now())).toBeLessThan(60_000);
  });
});
