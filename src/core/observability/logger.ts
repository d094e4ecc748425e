// pino to stdout; with LOG_DIR, also JSON lines into size-rotated files per stream. Every write is
// asynchronous (a synchronous write to a pipe or file per log line blocks the event loop; pino
// flushes what is buffered when the process exits): docs/performance.md.
import pino, { type Logger } from 'pino';
import { RotatingFile } from './rotating-file.js';

export function createLogger(level: string, logDir?: string, maxBytes = 10 * 1024 * 1024): Logger {
  const redact = ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.refresh'];
  const stdout = pino.destination({ dest: 1, sync: false });
  if (!logDir) return pino({ level, redact }, stdout);
  const streams: pino.StreamEntry[] = [
    { level: level as pino.Level, stream: stdout },
    { level: level as pino.Level, stream: new RotatingFile(logDir, 'system', maxBytes) },
    { level: 'error', stream: new RotatingFile(logDir, 'error', maxBytes) },
  ];
  return pino({ level, redact }, pino.multistream(streams));
}

export type { Logger };
