// AI-job metrics of docs/apps/igemoji.md §9 on the container's registry. Another app may register the same names
// on a shared registry first (all apps in one process): the existing collector is reused then.
import { Counter, Histogram, type Registry } from 'prom-client';

export interface IgemojiMetrics {
  jobs: Counter<'status'>;
  duration: Histogram<string>;
  faces: Histogram<string>;
  expressions: Counter<'emotion'>;
}

function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function igemojiMetrics(registry: Registry): IgemojiMetrics {
  const registers = [registry];
  return {
    jobs: once(registry, 'ai_jobs_total', () => new Counter({ name: 'ai_jobs_total', help: 'AI jobs finished, by status (done | failed)', labelNames: ['status'], registers })),
    duration: once(registry, 'ai_job_duration_seconds', () =>
      new Histogram({ name: 'ai_job_duration_seconds', help: 'AI job duration from claim to stored result', buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32], registers }),
    ),
    faces: once(registry, 'faces_detected', () =>
      new Histogram({ name: 'faces_detected', help: 'Faces found per photo', buckets: [0, 1, 2, 3, 4, 5, 8, 12, 20], registers }),
    ),
    expressions: once(registry, 'expression_total', () =>
      new Counter({ name: 'expression_total', help: 'Faces by dominant expression (template class)', labelNames: ['emotion'], registers }),
    ),
  };
}
