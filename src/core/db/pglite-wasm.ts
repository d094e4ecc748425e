// How V8 compiles PGlite's WebAssembly (PostgreSQL, a 9 MB module of ~13,700 functions).
//
// By default V8 compiles each function with its baseline compiler (Liftoff) on first call and
// recompiles the hot ones with its optimizing compiler (TurboFan) in background threads. For
// PGlite that is ~50 MB of resident memory (TurboFan's code and the malloc arenas its compile
// threads leave behind) and ~0.3-0.5 s of CPU at every start, for queries that are mostly short:
// measured here, 3,000 point selects took less CPU on Liftoff alone (the tier-up compiles cost more
// than they save) and a 20,000-row scan took 1.2-2x as long. `PGLITE_WASM=baseline` (the default)
// keeps PGlite on Liftoff; `optimizing` leaves V8's tiering alone. Numbers: docs/architecture.md.
//
// V8's flags are process-wide. When nothing else in the process compiles WebAssembly (no face
// analysis threads), `--liftoff-only` simply stays set. Otherwise it is set only while PGlite's module
// is compiled, with lazy compilation off so every function is compiled then, and V8's defaults are
// put back before anything else runs: the analysis threads' WebAssembly still tiers up.
import v8 from 'node:v8';

export type WasmTier = 'baseline' | 'optimizing';

export interface WasmChoice {
  tier: WasmTier;
  /** other WebAssembly (face analysis) may be compiled in this process and must keep V8's tiering */
  sharedProcess: boolean;
}

/** V8's defaults (Node 20 and later) for the flags changed below */
const V8_DEFAULTS = '--no-liftoff-only --wasm-tier-up --wasm-dynamic-tiering --wasm-lazy-compilation';

/** someone started node with their own WebAssembly compiler flags: those win */
function chosenByUser(): boolean {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return args.some((a) => /^--(no-)?(liftoff|wasm-|jitless)/.test(a));
}

/** runs `create` (which compiles PGlite's WebAssembly) under the chosen compiler */
export async function compilePglite<T>(choice: WasmChoice | undefined, create: () => Promise<T>): Promise<T> {
  // PGlite keeps its compiled module for the process: the first compile decides
  if (!choice || choice.tier === 'optimizing' || chosenByUser()) return create();
  if (!choice.sharedProcess) {
    v8.setFlagsFromString('--liftoff-only');
    return create();
  }
  v8.setFlagsFromString('--liftoff-only --no-wasm-lazy-compilation');
  try {
    return await create();
  } finally {
    v8.setFlagsFromString(V8_DEFAULTS);
  }
}
