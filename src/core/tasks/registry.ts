// Task name → payload schema, for the whole program. Each owner of a task adds its entry where it
// defines the task, with `declare module '<path>/core/tasks/registry.js' { interface TaskRegistry
// { 'app.task': typeof payloadSchema } }`, so core names no app and yet `queue.enqueue(name, payload)`
// does not compile with a name nobody defined or a payload of the wrong shape.
import type { z } from 'zod';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface TaskRegistry {}

export type TaskName = keyof TaskRegistry & string;
type SchemaOf<N extends TaskName> = TaskRegistry[N] extends z.ZodType ? TaskRegistry[N] : never;
/** what a caller passes to enqueue */
export type PayloadOf<N extends TaskName> = z.input<SchemaOf<N>>;
/** what a handler receives, after validation */
export type ParsedPayload<N extends TaskName> = z.output<SchemaOf<N>>;
