// The shop-floor page in a real browser (docs/apps/machines.md §10.7): the simulator reports
// telemetry every 300 ms, so the floor view's values change live over the WebSocket; a machine's
// charts (uPlot canvases) show the readings posted for the last hours, its availability, and the
// alarm a rule raised, which the owner acknowledges. Screenshots: test-results/web-floor-*.png.
import { describe, expect, it } from 'vitest';
import { basics, machinesApi, machinesUser, scriptErrors, webRig } from './web-helpers.js';

const rig = webRig({ MACHINE_SIM_TELEMETRY_MS: '300', MACHINE_SIM_LATENCY_MS: '0', MACHINE_ALARM_SWEEP_MS: '500' });

describe('web: shop floor', () => {
  it('live floor view, charts over a range, availability, alarms with acknowledge', async () => {
    const api = machinesApi(rig);
    const { token, a, session } = await machinesUser(api, 'floor');
    const { run_id } = await api<{ run_id: number }>('POST', `/api/machines/${a.id}/operation/`, token, { command: 'START' });
    await expect.poll(async () => (await api<{ state: string }>('GET', `/api/machines/${a.id}/runs/${run_id}/`, token)).state, { timeout: 15_000 }).toBe('done');
    // three hours of history for the charts: 30 s cycles, a stop every tenth reading
    const start = Date.now() - 3 * 3_600_000;
    for (let batch = 0; batch < 3; batch++) {
      const readings = Array.from({ length: 120 }, (_, i) => {
        const n = batch * 120 + i;
        return {
          ts: new Date(start + n * 29_000).toISOString(),
          state: n % 10 === 9 ? 1 : 2,
          cycle_time_ms: 28_000 + (n % 7) * 300,
          cycle_counter: n,
          good_parts: n,
          reject_parts: Math.floor(n / 40),
          barrel_temp_c: 228 + (n % 5),
          mould_temp_c: 44 + (n % 3),
        };
      });
      await api('POST', `/api/machines/${a.id}/telemetry/`, token, { readings });
    }
    // the ambient 25 °C of a machine just switched on is above this limit: raised at once
    await api('POST', `/api/machines/${a.id}/alarm-rules/`, token, { kind: 'threshold', metric: 'barrel_temp_c', max: 20, severity: 'critical' });

    const w = await rig.page({ width: 1280, height: 1000 });
    const { page } = w;
    await w.goto('/');
    await page.evaluate((s) => localStorage.setItem('madang.session.machines', JSON.stringify(s)), session);
    await w.goto('/machines/floor');
    await page.getByTestId('live').and(page.locator('[data-state="open"]')).waitFor();
    const card = page.getByTestId(`floor-${a.id}`);
    await card.waitFor();
    expect(await card.getByTestId('floor-status').textContent()).toBe('가동 중');

    // live: the barrel temperature shown changes as the simulator's readings arrive
    const barrel = card.getByTestId('floor-barrel');
    await expect.poll(() => barrel.textContent(), { timeout: 15_000 }).toMatch(/°C$/);
    const first = await barrel.textContent();
    await expect.poll(() => barrel.textContent(), { timeout: 15_000 }).not.toBe(first);
    await expect.poll(() => card.getByTestId('floor-alarms').textContent(), { timeout: 15_000 }).toContain('1');
    await w.shot('floor-overview');

    // a machine's detail: charts over 24 h, availability, the alarm list; acknowledge the alarm
    await card.getByRole('button', { name: 'Press-A' }).click();
    for (const id of ['chart-cycle', 'chart-parts', 'chart-temps']) {
      const chart = page.getByTestId(id);
      await chart.locator('canvas').waitFor();
      expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(10);
    }
    await expect.poll(() => page.getByTestId('availability').textContent()).toMatch(/가동률: \d+\.\d %/);
    const alarm = page.getByTestId('alarm').first();
    await expect.poll(() => alarm.textContent()).toContain('threshold');
    await w.shot('floor-detail');
    await alarm.getByRole('button', { name: '확인' }).click();
    await expect.poll(() => alarm.textContent()).toContain('확인됨');

    // another range: 1 hour
    await page.getByLabel('1시간').check();
    await expect.poll(async () => Number(await page.getByTestId('chart-temps').getAttribute('data-points'))).toBeLessThan(200);
    await basics(page);
    expect(scriptErrors(w)).toEqual([]);

    const narrow = await rig.page({ width: 375, height: 900 });
    await narrow.goto('/');
    await narrow.page.evaluate((s) => localStorage.setItem('madang.session.machines', JSON.stringify(s)), session);
    await narrow.goto('/machines/floor');
    await narrow.page.getByTestId(`floor-${a.id}`).getByRole('button', { name: 'Press-A' }).click();
    await narrow.page.getByTestId('chart-cycle').locator('canvas').waitFor();
    await basics(narrow.page);
    await narrow.shot('floor-narrow');
  }, 180_000);
});
