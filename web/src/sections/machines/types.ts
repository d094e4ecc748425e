// Shapes of this section, read from the generated API types.
import type { paths } from '../../api/schema';

type Ok<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': { result: infer R } } } };
}
  ? R
  : never;

export type Machine = Ok<'/machines/api/machines/{id}/', 'get'>;
export type Run = Ok<'/machines/api/machines/{id}/runs/{runId}/', 'get'>;

export const STATUSES = [0, 1, 2, 3, 4] as const;
export const RESULTS = [1, 2, 3, 4, 5, 6, 7] as const;
export const COMMANDS = ['START', 'STOP'] as const;
const ORDER: Record<string, number> = { pending: 0, running: 1, done: 2, failed: 2, rejected: 2 };

export function isActive(run: Run | undefined): boolean {
  return run?.state === 'pending' || run?.state === 'running';
}

/** the newer of two snapshots of a machine's latest run (events may arrive out of order) */
export function newerRun(prev: Run | undefined, next: Run): Run {
  if (!prev || next.id > prev.id) return next;
  if (next.id < prev.id) return prev;
  return (ORDER[next.state] ?? 0) >= (ORDER[prev.state] ?? 0) ? next : prev;
}

/** the status START/STOP needs (READY for START, RUNNING for STOP), as the server checks it */
export function commandAllowed(status: number, command: (typeof COMMANDS)[number]): boolean {
  return command === 'START' ? status === 1 : status === 2;
}
