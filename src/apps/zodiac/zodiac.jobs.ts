// The analysis task (core/tasks): its payload is only the task id (docs/apps/zodiac.md §13.5); the image is
// read from storage by whichever process runs it. A photo without a face, or one that cannot be
// read, fails at once; anything else (a crashed vision thread, a database hiccup) is retried.
import { z } from 'zod';
import type { Db } from '../../core/db/client.js';
import type { JobDefinition } from '../../core/queue/queue.js';
import type { RealtimeHub } from '../../core/realtime/hub.js';
import { TaskStore } from '../../core/tasks/store.js';
import { defineTask } from '../../core/tasks/task.js';
import { ANALYZE_JOB, FINAL_CODES, taskTopic, type AnalysisService } from './analysis.service.js';
import { zodiacTasks } from './zodiac.table.js';

/** how long a claim holds; a worker that died mid-analysis loses the task after this */
export const LEASE_MS = 20_000;

const analyzePayload = z.object({ taskId: z.uuid() });

declare module '../../core/tasks/registry.js' {
  interface TaskRegistry {
    'zodiac.analyze': typeof analyzePayload;
  }
}

export interface ZodiacTaskDeps {
  db: Db;
  hub: RealtimeHub;
  analysis: AnalysisService;
  leaseMs?: number;
  backoffMs?: number;
}

export function zodiacJobs(d: ZodiacTaskDeps): JobDefinition[] {
  const store = new TaskStore(d.db, zodiacTasks, { key: zodiacTasks.id, leaseMs: d.leaseMs ?? LEASE_MS });
  const analyze = defineTask({
    name: ANALYZE_JOB,
    payload: analyzePayload,
    store,
    keyOf: (p) => p.taskId,
    payloadOf: (taskId) => ({ taskId }),
    attempts: 3,
    backoffMs: d.backoffMs ?? 500,
    finalErrors: FINAL_CODES,
    progress: {
      hub: d.hub,
      topics: (t) => [taskTopic(t.id)],
      message: (t, event) => d.analysis.progress(t, event),
      closeAtEnd: true,
    },
    run: (ctx) => d.analysis.analyze(ctx),
  });
  return [analyze];
}
