// pino to stdout; with LOG_DIR, also JSON lines into size-rotated files per stream.
import pino, { type Logger } from 'pino';
import { RotatingFile } from './rotating-file.js';

export function createLogger(level: string, logDir?: string, maxBytes = 10 * 1024 * 1024): Logger {
  const redact = ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.refresh'];
  if (!logDir) return pino({ level, redact });
  const streams: pino.StreamEntry[] = [
    { level: level as pino.Level, stream: process.stdout },
    { level: level as pino.Level, stream: new RotatingFile(logDir, 'system', maxBytes) },
    { level: 'error', stream: new RotatingFile(logDir, 'error', maxBytes) },
  ];
  return pino({ level, redact }, pino.multistream(streams));
}

export type { Logger };
