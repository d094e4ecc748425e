// The original's log streams (docs/apps/machines.md §7) as JSON lines under LOG_DIR, rotated by size: core already
// writes system.log and error.log; this adds server.log (access) and worker.log (runs).
import pino, { type Logger } from 'pino';
import type { LogFiles } from '../../core/core.js';
import { RotatingFile } from '../../core/observability/rotating-file.js';

export interface MachineLogs {
  /** access log lines, or undefined when LOG_DIR is not set */
  server?: Logger;
  /** run lifecycle lines; falls back to the core logger */
  worker: Logger;
}

/** `base` is the app's logger (bound to { app: 'machines' }) */
export function createMachineLogs(base: Logger, files: LogFiles): MachineLogs {
  const dir = files.dir;
  if (!dir) return { worker: base };
  const level = files.level === 'silent' ? 'info' : files.level;
  const server = pino({ level, base: { stream: 'server' } }, new RotatingFile(dir, 'server', files.maxBytes));
  const workerFile = new RotatingFile(dir, 'worker', files.maxBytes);
  // worker lines go to worker.log and through the core logger (stdout, system.log, error.log)
  const worker = pino(
    { level, base: { stream: 'worker', app: 'machines' } },
    pino.multistream([
      { level: level as pino.Level, stream: workerFile },
      { level: level as pino.Level, stream: { write: (line: string) => forward(base, line) } },
    ]),
  );
  return { server, worker };
}

function forward(log: Logger, line: string): void {
  try {
    const obj = JSON.parse(line) as { level?: number; msg?: string } & Record<string, unknown>;
    const { level = 30, msg = '', time: _t, pid: _p, hostname: _h, app: _a, ...rest } = obj;
    if (level >= 50) log.error(rest, msg);
    else if (level >= 40) log.warn(rest, msg);
    else log.info(rest, msg);
  } catch {
    log.info(line);
  }
}
