// PGLITE_WASM: on `baseline` PGlite's WebAssembly is never recompiled by TurboFan, and WebAssembly
// compiled afterwards in the same process (face analysis) still is; on `optimizing` PGlite's hot
// functions are. Read from V8's own trace of every function it compiles, in a child process.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * How many of PGlite's functions V8 compiled with each compiler, and of the probe's own module
 * compiled afterwards, read by module: V8's trace (stdout, buffered) and the probe's output do not
 * interleave reliably. PGlite's module is the one with the most functions compiled; the probe's has
 * one function (Node has small WebAssembly modules of its own, with more).
 */
function compiles(tier: string, shared: 'shared' | 'alone') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--trace-wasm-compilation-times', 'test/fixtures/pglite-wasm-probe.ts', tier, shared], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  expect(r.stderr).toContain('PHASE done');
  const modules = new Map<string, { Liftoff: number; TurboFan: number; maxIndex: number }>();
  for (const m of r.stdout.matchAll(/^Compiled function (\S+)#(\d+) using (Liftoff|TurboFan)/gm)) {
    const mod = modules.get(m[1]!) ?? { Liftoff: 0, TurboFan: 0, maxIndex: 0 };
    mod[m[3] as 'Liftoff' | 'TurboFan']++;
    mod.maxIndex = Math.max(mod.maxIndex, Number(m[2]));
    modules.set(m[1]!, mod);
  }
  const all = [...modules.values()];
  const pglite = all.sort((a, b) => b.Liftoff + b.TurboFan - (a.Liftoff + a.TurboFan))[0]!;
  const probe = all.filter((m) => m.maxIndex === 0);
  expect(probe).toHaveLength(1);
  return { pglite, other: probe[0]! };
}

describe('how PGlite is compiled', () => {
  it('baseline, sharing the process: PGlite on Liftoff only, later WebAssembly still tiers up', () => {
    const c = compiles('baseline', 'shared');
    expect(c.pglite.Liftoff).toBeGreaterThan(1000);
    expect(c.pglite.TurboFan).toBe(0);
    expect(c.other.TurboFan).toBeGreaterThan(0);
  }, 120_000);

  it('baseline, alone in the process: Liftoff only', () => {
    const c = compiles('baseline', 'alone');
    expect(c.pglite.Liftoff).toBeGreaterThan(100);
    expect(c.pglite.TurboFan).toBe(0);
  }, 120_000);

  it('optimizing: V8 recompiles the hot functions with TurboFan', () => {
    const c = compiles('optimizing', 'shared');
    expect(c.pglite.TurboFan).toBeGreaterThan(0);
  }, 120_000);
});
