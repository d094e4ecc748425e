// The only code that writes the three background-task tables (machines_runs, zodiac_tasks,
// igemoji_faces). An import writes finished work only — done, failed, or a machine's refused
// command — never queued or running rows: nothing imported is ever picked up by a worker. When the
// task columns change, these three functions are what to adapt.
import type { igemojiFaces } from '../apps/igemoji/igemoji.table.js';
import type { runs } from '../apps/machines/machines.table.js';
import type { zodiacTasks } from '../apps/zodiac/zodiac.table.js';

/** the original's OperationResult (docs/apps/machines.md §2.3) */
export const RESULT = { SUCCESS: 1, REMOTEFAILED: 2, INTERNALFAILED: 3, PENDING: 4, PERMISSIONDENIED: 5, IGNORE: 6, INVALIDCOMMAND: 7 } as const;

export interface HistoryRow {
  id: number;
  machineId: number;
  workerId: number;
  machineOwnerId: number;
  command: 'START' | 'STOP';
  result: number;
  requestDatetime: Date;
  createdAt: Date;
}

/**
 * One machines_history row as a finished run. The state follows the result as madang's own
 * worker sets it (3 → failed, 5 and 7 → refused, the rest done); status_after is what the
 * original's recorder did to the machine (a START success left it READY there).
 */
export function machineRunRow(h: HistoryRow): typeof runs.$inferInsert {
  const refused = h.result === RESULT.PERMISSIONDENIED || h.result === RESULT.INVALIDCOMMAND;
  const failed = h.result === RESULT.INTERNALFAILED;
  const reason =
    h.result === RESULT.PERMISSIONDENIED ? 'not_owner'
    : h.result === RESULT.INVALIDCOMMAND ? 'invalid_state'
    : h.result === RESULT.REMOTEFAILED ? 'remote_failed'
    : h.result === RESULT.INTERNALFAILED ? 'internal_error'
    : h.result === RESULT.PENDING ? 'unknown_reply'
    : null;
  const statusAfter =
    h.result === RESULT.SUCCESS ? 1 : h.result === RESULT.REMOTEFAILED ? 4 : h.result === RESULT.PENDING ? 3 : null;
  return {
    id: h.id,
    machineId: h.machineId,
    workerId: h.workerId,
    machineOwnerId: h.machineOwnerId,
    command: h.command,
    // the task columns: a refused command is a failed task with REJECTED (clients see `rejected`)
    status: refused || failed ? 'failed' : 'done',
    errorCode: refused ? 'REJECTED' : failed ? 'INTERNAL_FAILED' : null,
    result: h.result,
    reason,
    statusAfter,
    requestDatetime: h.requestDatetime,
    createdAt: h.createdAt,
    startedAt: refused ? null : h.requestDatetime,
    finishedAt: h.createdAt,
    leaseOwner: null,
    leaseUntil: null,
    attempts: refused ? 0 : 1,
  };
}

/** one analysed (done) or never-finished (failed) zodiac picture's task */
export function zodiacTaskRow(t: {
  id: string;
  userId: number;
  pictureId: number;
  done: boolean;
  createdAt: Date;
  finishedAt: Date;
}): typeof zodiacTasks.$inferInsert {
  return {
    id: t.id,
    userId: t.userId,
    pictureId: t.pictureId,
    status: t.done ? 'done' : 'failed',
    attempts: 1,
    leaseOwner: null,
    leaseUntil: null,
    // clients see ANALYSIS_FAILED for a task that failed without a final code
    errorCode: t.done ? null : 'TASK_FAILED',
    challengeId: null,
    detail: t.done ? { imported: true } : null,
    createdAt: t.createdAt,
    finishedAt: t.finishedAt,
  };
}

/** one igemoji upload: done when the original stored its composite, failed otherwise */
export function igemojiFaceRow(f: {
  id: number;
  taskId: string;
  userId: number;
  emojiId: number;
  imageKey: string;
  done: boolean;
  createdAt: Date;
  finishedAt: Date;
}): typeof igemojiFaces.$inferInsert {
  return {
    id: f.id,
    taskId: f.taskId,
    userId: f.userId,
    emojiId: f.emojiId,
    imageKey: f.imageKey,
    status: f.done ? 'done' : 'failed',
    attempts: 1,
    leaseOwner: null,
    leaseUntil: null,
    // clients see AI_ERROR for a task that failed without a final code
    errorCode: f.done ? null : 'TASK_FAILED',
    createdAt: f.createdAt,
    finishedAt: f.finishedAt,
  };
}
