// Housekeeping: drop login sessions that expired more than a day ago. Enqueued hourly by `serve`
// (one job per hour across all instances, by job id); safe to run twice.
import { z } from 'zod';
import type { JobDefinition, JobQueue } from '../queue/queue.js';
import { defineJob } from '../tasks/job.js';
import type { Identity } from './identity.service.js';

export const SESSION_PURGE = 'core.session-purge';
const purgePayload = z.object({ requestedAt: z.iso.datetime() });

declare module '../tasks/registry.js' {
  interface TaskRegistry {
    'core.session-purge': typeof purgePayload;
  }
}

export function sessionPurgeJob(identity: Identity): JobDefinition {
  return defineJob({
    name: SESSION_PURGE,
    payload: purgePayload,
    attempts: 3,
    async handle(_payload, ctx) {
      const removed = await identity.purgeExpired();
      ctx.log.info({ removed }, 'expired sessions purged');
    },
  });
}

export function schedulePurge(queue: JobQueue, everyMs = 3_600_000): () => void {
  const tick = () => {
    const hour = new Date().toISOString().slice(0, 13);
    void queue.enqueue(SESSION_PURGE, { requestedAt: new Date().toISOString() }, { jobId: `${SESSION_PURGE}-${hour}` }).catch(() => undefined);
  };
  tick();
  const t = setInterval(tick, everyMs);
  t.unref();
  return () => clearInterval(t);
}
