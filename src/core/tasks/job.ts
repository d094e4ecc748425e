// defineJob: a named, typed background job whose payload is checked by its zod schema at enqueue
// (by the queue adapter, through parse) and again when it runs. For work that owns a database row,
// use defineTask (task.ts), which builds on this.
import type { z } from 'zod';
import { BadPayloadError, type JobContext, type JobDefinition } from '../queue/queue.js';
import type { ParsedPayload, TaskName, TaskRegistry } from './registry.js';

export interface JobSpec<N extends TaskName> {
  name: N;
  payload: TaskRegistry[N];
  handle(payload: ParsedPayload<N>, ctx: JobContext): Promise<void>;
  attempts?: number;
  backoffMs?: number;
  concurrency?: number;
  jobIdOf?(payload: ParsedPayload<N>): string | undefined;
  onFailed?(payload: ParsedPayload<N>, err: unknown): Promise<void>;
  recover?(startup: boolean): Promise<Array<{ payload: z.input<TaskRegistry[N] & z.ZodType>; jobId: string }>>;
  recoverEveryMs?: number;
}

const NAME = /^[a-z0-9][a-z0-9.-]*$/;

export function defineJob<N extends TaskName>(spec: JobSpec<N>): JobDefinition {
  if (!NAME.test(spec.name)) throw new Error(`bad job name ${spec.name}`);
  // widened to the zod base type to call it; the registry guarantees it is this name's schema
  const schema: z.ZodType = spec.payload as z.ZodType;
  const parse = (raw: unknown): ParsedPayload<N> => {
    const r = schema.safeParse(raw);
    if (!r.success) throw new BadPayloadError(spec.name, r.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; '));
    return r.data as ParsedPayload<N>;
  };
  return {
    name: spec.name,
    parse,
    handle: async (raw, ctx) => spec.handle(parse(raw), ctx),
    attempts: spec.attempts,
    backoffMs: spec.backoffMs,
    concurrency: spec.concurrency,
    jobIdOf: spec.jobIdOf ? (raw) => spec.jobIdOf!(parse(raw)) : undefined,
    onFailed: spec.onFailed ? async (raw, err) => spec.onFailed!(parse(raw), err) : undefined,
    recover: spec.recover,
    recoverEveryMs: spec.recoverEveryMs,
  };
}
