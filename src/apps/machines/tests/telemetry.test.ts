// Telemetry through HTTP (docs/apps/machines.md §10.3): a gateway's batch is stored, the chart
// query aggregates it into buckets (cycle time, parts per bucket, temperatures, availability), the
// floor view shows the newest reading and today's parts, ranges are bounded, and another user's
// machine is refused like every machines object.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, json, type TestApp } from '../../../../test/harness.js';
import { FakeDriver } from '../../../../test/fakes/fake-driver.js';
import { machinesAppWith } from '../index.js';
import { TelemetryQueries } from '../floor/telemetry.js';
import { createMachine, http, signUp, type Body } from './helpers.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const build = () =>
  buildTestApp({ apps: ['machines'], definitions: { machines: machinesAppWith({ driver: new FakeDriver() }) }, env: { MACHINE_ALARM_SWEEP_MS: '0' } });

/** a machine running 30 s cycles from `start` for `minutes`, one reading per cycle */
function cycles(start: number, minutes: number, first = 0) {
  const out = [];
  for (let i = 0; i < minutes * 2; i++) {
    out.push({
      ts: new Date(start + i * 30_000).toISOString(),
      state: i % 10 === 9 ? 1 : 2,
      cycle_time_ms: 30_000 + (i % 3) * 100,
      cycle_counter: first + i,
      good_parts: first + i,
      reject_parts: 0,
      barrel_temp_c: 230 + (i % 2),
      mould_temp_c: 45,
    });
  }
  return out;
}

describe('POST/GET /api/machines/:id/telemetry/', () => {
  it('stores a batch and answers buckets with parts, cycle time, temperatures and availability', async () => {
    t = await build();
    const a = await signUp(t);
    const m = await createMachine(t, a);
    const hour = Date.UTC(2026, 0, 5, 8) + Math.floor((Date.now() - Date.UTC(2026, 0, 5, 8)) / 3_600_000 - 2) * 3_600_000;
    const res = await http(t).post(`/api/machines/${m.id}/telemetry/`, { readings: cycles(hour, 60) }, a.token);
    expect(res.statusCode, res.body).toBe(201);
    expect(json<Body>(res).result).toEqual({ stored: 120 });

    const from = new Date(hour).toISOString();
    const to = new Date(hour + 3_600_000).toISOString();
    const q = await http(t).get(`/api/machines/${m.id}/telemetry/?from=${from}&to=${to}&bucket=900`, a.token);
    expect(q.statusCode, q.body).toBe(200);
    const s = json<{ result: { bucket_s: number; points: Array<Record<string, number | null>>; totals: Record<string, number> } }>(q).result;
    expect(s.bucket_s).toBe(900);
    expect(s.points).toHaveLength(4);
    // 30 readings per quarter hour; the counter rises by 30 per bucket (29 inside the first)
    expect(s.points.map((p) => p.good_parts)).toEqual([29, 30, 30, 30]);
    expect(s.points.map((p) => p.samples)).toEqual([30, 30, 30, 30]);
    expect(s.points[0]!.cycle_time_ms).toBe(30_100);
    expect(s.points[0]!.barrel_temp_c).toBe(230.5);
    expect(s.totals.good_parts).toBe(119);
    expect(s.totals.availability).toBe(0.9);
  });

  it('bounds ranges, batches and values; another user’s machine is refused', async () => {
    t = await build();
    const a = await signUp(t);
    const b = await signUp(t);
    const m = await createMachine(t, a);
    const api = http(t);
    const code = async (p: Promise<{ statusCode: number }>) => (await p).statusCode;
    expect(await code(api.get(`/api/machines/${m.id}/telemetry/?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z`, a.token))).toBe(400);
    expect(await code(api.get(`/api/machines/${m.id}/telemetry/?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`, a.token))).toBe(400);
    expect(await code(api.get(`/api/machines/${m.id}/telemetry/?from=yesterday`, a.token))).toBe(400);
    expect(await code(api.post(`/api/machines/${m.id}/telemetry/`, { readings: [] }, a.token))).toBe(400);
    expect(await code(api.post(`/api/machines/${m.id}/telemetry/`, { readings: Array(1001).fill({ state: 1 }) }, a.token))).toBe(400);
    expect(await code(api.post(`/api/machines/${m.id}/telemetry/`, { readings: [{ barrel_temp_c: 1e9 }] }, a.token))).toBe(400);
    expect(await code(api.post(`/api/machines/${m.id}/telemetry/`, { readings: [{ ts: '2099-01-01T00:00:00Z' }] }, a.token))).toBe(400);
    expect(await code(api.post(`/api/machines/${m.id}/telemetry/`, { readings: [{ state: 2 }] }, b.token))).toBe(404);
    expect(await code(api.get(`/api/machines/${m.id}/telemetry/`, b.token))).toBe(404);
    expect(await code(api.get(`/api/machines/999999/telemetry/`, a.token))).toBe(404);
    expect(await code(api.get(`/api/machines/${m.id}/telemetry/`))).toBe(401);
    // a very fine bucket over a long range is coarsened to at most 720 points
    const wide = await api.get(`/api/machines/${m.id}/telemetry/?bucket=10`, a.token);
    expect(json<{ result: { bucket_s: number } }>(wide).result.bucket_s).toBe(300);
  });

  it('floor view: newest reading and today’s parts of my machines only', async () => {
    t = await build();
    const a = await signUp(t);
    const b = await signUp(t);
    const m1 = await createMachine(t, a, { name: 'press-1' });
    const m2 = await createMachine(t, a, { name: 'press-2' });
    await createMachine(t, b, { name: 'theirs' });
    const now = Date.now();
    const api = http(t);
    await api.post(`/api/machines/${m1.id}/telemetry/`, { readings: cycles(now - 10 * 60_000, 5, 100) }, a.token);
    const since = new Date(now - 20 * 60_000).toISOString();
    const res = await api.get(`/api/machines/floor/?since=${since}`, a.token);
    expect(res.statusCode, res.body).toBe(200);
    const rows = json<{ result: Array<{ id: number; name: string; latest: { good_parts: number } | null; good_parts_today: number; protocol: string }> }>(res).result;
    expect(rows.map((r) => r.name)).toEqual(['press-1', 'press-2']);
    expect(rows[0]).toMatchObject({ id: m1.id, good_parts_today: 9, latest: { good_parts: 109 }, protocol: 'simulator' });
    expect(rows[1]).toMatchObject({ id: m2.id, good_parts_today: 0, latest: null });
  });
});

describe('retention: raw readings become hourly roll-ups', () => {
  it('rolls up old readings, deletes them, and the chart still answers from the roll-ups', async () => {
    t = await build();
    const a = await signUp(t);
    const m = await createMachine(t, a);
    const day = 86_400_000;
    const start = Math.floor((Date.now() - 10 * day) / 3_600_000) * 3_600_000;
    await http(t).post(`/api/machines/${m.id}/telemetry/`, { readings: cycles(start, 120) }, a.token);
    const db = t.container.core.db;
    const q = new TelemetryQueries(db, 7);
    expect(await q.rawCount(m.id)).toBe(240);
    expect(await q.rollUp()).toBe(240);
    expect(await q.rawCount(m.id)).toBe(0);
    const hours = await db.execute(sql`select samples, good_parts from machines_readings_hourly where machine_id = ${m.id} order by hour`);
    expect((hours as unknown as { rows: unknown[] }).rows).toEqual([
      { samples: 120, good_parts: 119 },
      { samples: 120, good_parts: 239 },
    ]);
    const from = new Date(start).toISOString();
    const to = new Date(start + 2 * 3_600_000).toISOString();
    const res = await http(t).get(`/api/machines/${m.id}/telemetry/?from=${from}&to=${to}&bucket=60`, a.token);
    const s = json<{ result: { bucket_s: number; points: Array<{ good_parts: number }>; totals: { good_parts: number; availability: number } } }>(res).result;
    expect(s.bucket_s).toBe(3600);
    expect(s.points.map((p) => p.good_parts)).toEqual([119, 120]);
    expect(s.totals.availability).toBe(0.9);
  });
});
