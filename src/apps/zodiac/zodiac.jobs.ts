// The analysis job: its payload is only the task id (docs/apps/zodiac.md §13.5); the image is read from
// storage by whichever process runs it.
import { defineJob, type JobDefinition } from '../../core/queue/queue.js';
import { ANALYZE_JOB, type AnalysisService } from './analysis.service.js';

export function zodiacJobs(analysis: AnalysisService): JobDefinition<never>[] {
  const analyze = defineJob<{ taskId: string }>({
    name: ANALYZE_JOB,
    attempts: 3,
    backoffMs: 500,
    handle: (p) => analysis.analyze(p.taskId),
    onFailed: (p) => analysis.giveUp(p.taskId),
    recover: () => analysis.recoverable(),
  });
  return [analyze as JobDefinition<never>];
}
