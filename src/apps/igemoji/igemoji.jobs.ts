// The compositing task (core/tasks): its payload is only the task id; the photo is read from
// storage by whichever process runs it. An unreadable photo, one without a face, or a template that
// is gone fails at once; anything else (a crashed vision thread, a missing picture file, a database
// hiccup) is retried, and shows AI_ERROR if the retries run out.
import { z } from 'zod';
import type { Db } from '../../core/db/client.js';
import type { JobDefinition } from '../../core/queue/queue.js';
import type { RealtimeHub } from '../../core/realtime/hub.js';
import { TaskStore } from '../../core/tasks/store.js';
import { defineTask } from '../../core/tasks/task.js';
import { COMPOSITE_JOB, FINAL_CODES, taskTopic, type FacesService } from './faces.service.js';
import { igemojiFaces } from './igemoji.table.js';

/** how long a claim holds; a worker that died mid-composite loses the task after this */
export const LEASE_MS = 60_000;

const compositePayload = z.object({ taskId: z.uuid() });

declare module '../../core/tasks/registry.js' {
  interface TaskRegistry {
    'igemoji.composite': typeof compositePayload;
  }
}

export interface IgemojiTaskDeps {
  db: Db;
  hub: RealtimeHub;
  faces: FacesService;
  leaseMs?: number;
  backoffMs?: number;
}

export function igemojiJobs(d: IgemojiTaskDeps): JobDefinition[] {
  const store = new TaskStore(d.db, igemojiFaces, { key: igemojiFaces.taskId, leaseMs: d.leaseMs ?? LEASE_MS });
  const composite = defineTask({
    name: COMPOSITE_JOB,
    payload: compositePayload,
    store,
    keyOf: (p) => p.taskId,
    payloadOf: (taskId) => ({ taskId }),
    attempts: 3,
    backoffMs: d.backoffMs ?? 500,
    finalErrors: FINAL_CODES,
    progress: {
      hub: d.hub,
      topics: (f) => [taskTopic(f.taskId)],
      message: (f, event) => d.faces.progress(f, event),
      closeAtEnd: true,
    },
    onFailed: async (face) => d.faces.countFailure(face),
    run: (ctx) => d.faces.composite(ctx),
  });
  return [composite];
}
