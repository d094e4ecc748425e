// Unit tests of the shop floor's rules (docs/apps/machines.md §10): the endpoint policy, bucket
// choice, parts from cumulative counters, alarm ranges, OPC UA status mapping, the simulator.
import { describe, expect, it } from 'vitest';
import { statusOf } from '../drivers/opcua.js';
import { outside, valueOf } from './alarms.js';
import { EndpointPolicy, normaliseUrl } from './endpoints.js';
import { setPoints, step } from './sim-telemetry.js';
import { bucketFor, partsOf, rawCutoff } from './telemetry-buckets.js';

describe('EndpointPolicy (SSRF guard)', () => {
  const p = new EndpointPolicy(['broker.plant', '10.1.2.3:4840']);
  it('allows listed hosts (any port or the listed one) with the protocol’s schemes only', () => {
    expect(p.check('mqtt://broker.plant', 'mqtt')).toBeNull();
    expect(p.check('mqtts://broker.plant:8883', 'mqtt')).toBeNull();
    expect(p.check('opc.tcp://10.1.2.3:4840/UA', 'opcua')).toBeNull();
    expect(p.check('opc.tcp://10.1.2.3/UA', 'opcua')).toBeNull(); // default port 4840
    expect(p.check(normaliseUrl('opcua://10.1.2.3:4840'), 'opcua')).toBeNull();
  });
  it('refuses other hosts, ports, schemes, credentials, queries', () => {
    expect(p.check('mqtt://10.1.2.3:1883', 'mqtt')).toBe('MACHINE_HOST_NOT_ALLOWED');
    expect(p.check('opc.tcp://10.1.2.3:4841', 'opcua')).toBe('MACHINE_HOST_NOT_ALLOWED');
    expect(p.check('http://broker.plant', 'mqtt')).toBe('MACHINE_INVALID_URL');
    expect(p.check('mqtt://broker.plant', 'opcua')).toBe('MACHINE_INVALID_URL');
    expect(p.check('mqtt://u:p@broker.plant', 'mqtt')).toBe('MACHINE_INVALID_URL');
    expect(p.check('mqtt://broker.plant/?x=1', 'mqtt')).toBe('MACHINE_INVALID_URL');
    expect(p.check('not a url', 'mqtt')).toBe('MACHINE_INVALID_URL');
    expect(new EndpointPolicy([]).check('mqtt://broker.plant', 'mqtt')).toBe('MACHINE_HOST_NOT_ALLOWED');
  });
});

describe('telemetry arithmetic', () => {
  it('bucketFor: the smallest bucket giving ≤ 720 points, at least the minimum', () => {
    expect(bucketFor(3_600_000)).toBe(10);
    expect(bucketFor(86_400_000)).toBe(300);
    expect(bucketFor(7 * 86_400_000)).toBe(900);
    expect(bucketFor(92 * 86_400_000)).toBe(21_600);
    expect(bucketFor(3_600_000, 3600)).toBe(3600);
  });
  it('partsOf: rise since the previous bucket; a reset counts the rise inside the bucket', () => {
    expect(partsOf(130, 101, 100)).toBe(30);
    expect(partsOf(129, 100, null)).toBe(29);
    expect(partsOf(5, 0, 900)).toBe(5);
    expect(partsOf(null, null, 10)).toBe(0);
  });
  it('rawCutoff is hour-aligned', () => {
    expect(rawCutoff(new Date('2026-03-10T12:34:56Z'), 7).toISOString()).toBe('2026-03-03T12:00:00.000Z');
  });
});

describe('alarm ranges', () => {
  it('outside: either bound optional', () => {
    expect(outside(251, { min: null, max: 250 })).toBe(true);
    expect(outside(250, { min: null, max: 250 })).toBe(false);
    expect(outside(9, { min: 10, max: null })).toBe(true);
    expect(outside(15, { min: 10, max: 20 })).toBe(false);
  });
  it('valueOf reads the rule’s metric', () => {
    const r = { machineId: 1, ts: new Date(), barrelTempC: 231, cycleTimeMs: null };
    expect(valueOf(r, 'barrel_temp_c')).toBe(231);
    expect(valueOf(r, 'cycle_time_ms')).toBeNull();
    expect(valueOf(r, 'nonsense')).toBeNull();
  });
});

describe('OPC UA status mapping', () => {
  it('off, error, running, ready, unknown', () => {
    expect(statusOf(false, true, true)).toBe(0);
    expect(statusOf(true, true, true)).toBe(4);
    expect(statusOf(true, false, true)).toBe(2);
    expect(statusOf(true, false, false)).toBe(1);
    expect(statusOf(undefined, undefined, undefined)).toBe(3);
  });
});

describe('simulated machine', () => {
  const fresh = () => ({ ts: 0, carryMs: 0, cycleCounter: 0, good: 0, reject: 0, barrel: 25, mould: 25, lastCycleMs: null });
  it('running: counts cycles of its set point, ~2 % rejects, heats towards its set points', () => {
    const s = fresh();
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const sp = setPoints(7);
    let r = step(7, 2, s, 0, random);
    for (let t = 1; t <= 3600; t++) r = step(7, 2, s, t * 1000, random);
    const expected = 3_600_000 / sp.cycleMs;
    expect(r.cycleCounter!).toBeGreaterThan(expected * 0.95);
    expect(r.cycleCounter!).toBeLessThan(expected * 1.05);
    expect(r.goodParts! + r.rejectParts!).toBe(r.cycleCounter);
    expect(r.rejectParts! / r.cycleCounter!).toBeLessThan(0.08);
    expect(Math.abs(r.barrelTempC! - sp.barrel)).toBeLessThan(3);
    expect(Math.abs(r.cycleTimeMs! - sp.cycleMs)).toBeLessThan(sp.cycleMs * 0.1);
  });
  it('stopped: no cycles; off: cools towards 25 °C', () => {
    const s = { ...fresh(), barrel: 230, mould: 50 };
    let r = step(3, 1, s, 0);
    for (let t = 1; t <= 600; t++) r = step(3, 0, s, t * 1000);
    expect(r.cycleCounter).toBe(0);
    expect(r.cycleTimeMs).toBeNull();
    expect(r.barrelTempC!).toBeLessThan(30);
  });
});
