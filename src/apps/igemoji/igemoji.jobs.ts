// The compositing job: its payload is only the task id; the photo is read from storage by
// whichever process runs it.
import { defineJob, type JobDefinition } from '../../core/queue/queue.js';
import { COMPOSITE_JOB, type FacesService } from './faces.service.js';

export function igemojiJobs(faces: FacesService): JobDefinition<never>[] {
  const composite = defineJob<{ taskId: string }>({
    name: COMPOSITE_JOB,
    attempts: 3,
    backoffMs: 500,
    handle: (p) => faces.process(p.taskId),
    onFailed: (p) => faces.giveUp(p.taskId),
    recover: () => faces.recoverable(),
  });
  return [composite as JobDefinition<never>];
}
