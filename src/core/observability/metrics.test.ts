// histogramSeries must leave the registry exactly as prom-client's own observe() would.
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { histogramSeries } from './metrics.js';

const make = () => {
  const registry = new Registry();
  const h = new Histogram({ name: 'h', help: 'h', labelNames: ['route', 'code'], buckets: [0.001, 0.01, 0.1, 1], registers: [registry] });
  return { registry, h };
};
const values = [0, 0.0005, 0.001, 0.002, 0.05, 0.1, 0.5, 3, 12];

describe('histogramSeries', () => {
  it('exports the same buckets, sum and count as observe()', async () => {
    const a = make();
    const b = make();
    const series = histogramSeries(b.h, { route: '/x', code: '200' });
    for (const v of values) {
      a.h.observe({ route: '/x', code: '200' }, v);
      series(v);
    }
    a.h.observe({ route: '/y', code: '404' }, 0.2);
    histogramSeries(b.h, { route: '/y', code: '404' })(0.2);
    expect(await b.registry.metrics()).toBe(await a.registry.metrics());
    expect(await b.registry.metrics()).toMatch(/h_bucket\{le="0.01",route="\/x",code="200"\} 4/);
    expect(await b.registry.metrics()).toMatch(/h_count\{route="\/x",code="200"\} 9/);
  });

  it('adds to a series observe() already made, and survives a reset', async () => {
    const { registry, h } = make();
    h.observe({ route: '/x', code: '200' }, 0.5);
    const series = histogramSeries(h, { route: '/x', code: '200' });
    series(0.5);
    expect(await registry.metrics()).toMatch(/h_count\{route="\/x",code="200"\} 2/);
    h.reset();
    series(0.005);
    const text = await registry.metrics();
    expect(text).toMatch(/h_count\{route="\/x",code="200"\} 1/);
    expect(text).toMatch(/h_bucket\{le="0.001",route="\/x",code="200"\} 0/);
    expect(text).toMatch(/h_bucket\{le="0.01",route="\/x",code="200"\} 1/);
  });

  it('refuses what observe() refuses', () => {
    const { h } = make();
    expect(() => histogramSeries(h, { route: '/x', code: '200' })(Number.NaN)).toThrow();
  });
});
