// Prometheus metrics. One registry per container (tests build many), default process metrics,
// per-route HTTP latency, queue depth and WebSocket connection gauges collected on scrape.
import { collectDefaultMetrics, Counter, Gauge, Histogram, type LabelValues, Registry } from 'prom-client';
import type { JobQueue } from '../queue/queue.js';
import type { RealtimeHub } from '../realtime/hub.js';

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly jobsTotal: Counter<'job' | 'status'>;
  readonly jobDuration: Histogram<'job'>;

  constructor(queue: () => JobQueue | undefined, hub: () => RealtimeHub | undefined) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.jobsTotal = new Counter({
      name: 'jobs_total',
      help: 'Background jobs finished, by job and status',
      labelNames: ['job', 'status'],
      registers: [this.registry],
    });
    this.jobDuration = new Histogram({
      name: 'job_duration_seconds',
      help: 'Background job duration',
      labelNames: ['job'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
    new Gauge({
      name: 'websocket_connections',
      help: 'Open WebSocket connections on this instance',
      registers: [this.registry],
      collect() {
        this.set(hub()?.connections ?? 0);
      },
    });
    const depth = new Gauge({
      name: 'queue_jobs',
      help: 'Jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const q = queue();
        if (!q) return;
        try {
          for (const s of await q.stats()) {
            depth.set({ queue: s.name, state: 'waiting' }, s.waiting);
            depth.set({ queue: s.name, state: 'active' }, s.active);
            depth.set({ queue: s.name, state: 'failed' }, s.failed);
          }
        } catch {
          // queue backend down: the scrape still answers with the other metrics
        }
      },
    });
  }
}

/** prom-client's own state of a histogram (pinned version; histogramSeries' test checks the shape) */
interface HistogramState {
  hashMap: Record<string, { labels: Record<string, string | number>; bucketValues: Record<number, number>; sum: number; count: number }>;
  upperBounds: number[];
}

/**
 * observe() for one fixed label set, at the cost of a few additions: prom-client validates and
 * hashes the labels on every call (about a microsecond per request on the HTTP histogram, a
 * twentieth of a cached read). The series is made with zero() unless it exists, then its entry is updated the way
 * observe() updates it (the one bucket whose bound is the first at or above the value); a reset()
 * of the histogram is noticed and the series made again.
 */
export function histogramSeries<T extends string>(histogram: Histogram<T>, labels: LabelValues<T>): (value: number) => void {
  const state = histogram as unknown as HistogramState;
  let map: HistogramState['hashMap'] | undefined;
  let entry: HistogramState['hashMap'][string] | undefined;
  const bounds = state.upperBounds;
  const keys = Object.keys(labels) as T[];
  const find = () => Object.values(state.hashMap).find((e) => keys.length === Object.keys(e.labels).length && keys.every((k) => e.labels[k] === labels[k]));
  const resolve = () => {
    // zero() would reset a series that observe() already made
    entry = find();
    if (!entry) {
      histogram.zero(labels);
      entry = find();
    }
    map = state.hashMap;
  };
  return (value) => {
    if (map !== state.hashMap || !entry) resolve();
    if (!entry || !Number.isFinite(value)) {
      histogram.observe(labels, value);
      return;
    }
    entry.sum += value;
    entry.count += 1;
    for (const bound of bounds) {
      if (value <= bound) {
        entry.bucketValues[bound]! += 1;
        return;
      }
    }
  };
}
