// Telemetry buckets (docs/apps/machines.md §10.3): the pure part of chart queries — which bucket a
// range gets, how raw and hourly rows become points, parts counted from counters, availability —
// kept apart from the store and the SQL in telemetry.ts.
export const MAX_POINTS = 720;
export const BUCKETS_S = [10, 60, 300, 900, 3600, 21_600, 86_400] as const;
export const MAX_RANGE_MS = 92 * 86_400_000;
export const RUNNING = 2;

/** the smallest bucket giving at most MAX_POINTS points; ≥ 1 h when the range reaches roll-ups */
export function bucketFor(rangeMs: number, minS = 0): number {
  for (const b of BUCKETS_S) if (b >= minS && rangeMs / (b * 1000) <= MAX_POINTS) return b;
  return 86_400;
}

export interface Point {
  t: string;
  samples: number;
  cycle_time_ms: number | null;
  cycle_time_max_ms: number | null;
  good_parts: number;
  reject_parts: number;
  barrel_temp_c: number | null;
  mould_temp_c: number | null;
  /** share of state samples in RUNNING (null: no state in the bucket) */
  running: number | null;
}

export interface Bucket {
  t: number;
  samples: number;
  stateSamples: number;
  runningSamples: number;
  cycleAvg: number | null;
  cycleMax: number | null;
  goodMax: number | null;
  goodMin: number | null;
  rejectMax: number | null;
  rejectMin: number | null;
  barrelAvg: number | null;
  mouldAvg: number | null;
}

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function weighted(a: number | null, wa: number, b: number | null, wb: number): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return (a * wa + b * wb) / (wa + wb);
}

/** cutoff of raw retention: raw rows before it have been (or will be) rolled up into hours */
export function rawCutoff(now: Date, rawDays: number): Date {
  const c = new Date(now.getTime() - rawDays * 86_400_000);
  c.setUTCMinutes(0, 0, 0);
  return c;
}

export interface FloorRow {
  reading: ReturnType<typeof readingJson>;
  goodToday: number;
  rejectToday: number;
}

export const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
export const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

export function rowsOf(res: unknown): Array<Record<string, unknown>> {
  return ((res as { rows?: unknown[] }).rows ?? (res as unknown[])) as Array<Record<string, unknown>>;
}

export function bucketOf(r: Record<string, unknown>): Bucket {
  return {
    t: Number(r.t),
    samples: Number(r.samples),
    stateSamples: Number(r.state_samples),
    runningSamples: Number(r.running_samples),
    cycleAvg: n(r.cycle_avg),
    cycleMax: n(r.cycle_max),
    goodMax: n(r.good_max),
    goodMin: n(r.good_min),
    rejectMax: n(r.reject_max),
    rejectMin: n(r.reject_min),
    barrelAvg: n(r.barrel_avg),
    mouldAvg: n(r.mould_avg),
  };
}

/**
 * Parts made in a bucket: the rise of the cumulative counter since the previous bucket's highest
 * value (so parts made between two samples in different buckets are not lost); a counter that
 * went down (reset) counts only the rise inside the bucket.
 */
export function partsOf(max: number | null, min: number | null, prevMax: number | null): number {
  if (max === null) return 0;
  if (prevMax !== null && max >= prevMax) return max - prevMax;
  return min === null ? 0 : max - min;
}

export function summarise(buckets: Bucket[], bucketS: number, from: Date, to: Date) {
  let prevGood: number | null = null;
  let prevReject: number | null = null;
  let stateSamples = 0;
  let running = 0;
  let good = 0;
  let reject = 0;
  const points: Point[] = buckets.map((b) => {
    const g = partsOf(b.goodMax, b.goodMin, prevGood);
    const r = partsOf(b.rejectMax, b.rejectMin, prevReject);
    if (b.goodMax !== null) prevGood = b.goodMax;
    if (b.rejectMax !== null) prevReject = b.rejectMax;
    good += g;
    reject += r;
    stateSamples += b.stateSamples;
    running += b.runningSamples;
    const round = (v: number | null, d = 1) => (v === null ? null : Math.round(v * 10 ** d) / 10 ** d);
    return {
      t: new Date(b.t * 1000).toISOString(),
      samples: b.samples,
      cycle_time_ms: round(b.cycleAvg, 0),
      cycle_time_max_ms: round(b.cycleMax, 0),
      good_parts: g,
      reject_parts: r,
      barrel_temp_c: round(b.barrelAvg),
      mould_temp_c: round(b.mouldAvg),
      running: b.stateSamples ? round(b.runningSamples / b.stateSamples, 3) : null,
    };
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket_s: bucketS,
    points,
    totals: {
      good_parts: good,
      reject_parts: reject,
      /** running time / time in the range, estimated from state samples (null: no state seen) */
      availability: stateSamples ? Math.round((running / stateSamples) * 1000) / 1000 : null,
    },
  };
}

export function readingJson(r: Record<string, unknown>) {
  return {
    ts: new Date(r.ts as string).toISOString(),
    state: n(r.state),
    cycle_time_ms: n(r.cycle_time_ms),
    cycle_counter: n(r.cycle_counter),
    good_parts: n(r.good_parts),
    reject_parts: n(r.reject_parts),
    barrel_temp_c: n(r.barrel_temp_c),
    mould_temp_c: n(r.mould_temp_c),
  };
}
