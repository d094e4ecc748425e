// A minimal size-rotated log file: <dir>/<name>.log, rolled to <name>.log.1 … .5 when full.
// Writes are asynchronous: a log call only queues its line, and the lines queued meanwhile go to the
// file in one append after the one in flight (a synchronous append per line blocked the event loop
// on every request, docs/performance.md). What is still queued when the process exits is written
// synchronously then, so no line is lost to process.exit.
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';

const KEEP = 5;
/** queued bytes past which a writer waits for the file (backpressure instead of unbounded memory) */
const HIGH_WATER = 4 * 1024 * 1024;

const open = new Set<RotatingFile>();
let exitHook = false;

export class RotatingFile extends Writable {
  private readonly file: string;
  private size: number;
  private queued: Buffer[] = [];
  private queuedBytes = 0;
  private flushing: Promise<void> | undefined;
  /** the append in flight, so an exit can tell whether it landed */
  private inflight: Buffer | undefined;

  constructor(dir: string, name: string, private readonly maxBytes: number) {
    super();
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `${name}.log`);
    this.size = existsSync(this.file) ? statSync(this.file).size : 0;
    open.add(this);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const f of open) f.flushSync();
      });
    }
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.queued.push(chunk);
    this.queuedBytes += chunk.length;
    this.flushing ??= this.flush();
    if (this.queuedBytes < HIGH_WATER) cb();
    else this.flushing.then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    (this.flushing ?? Promise.resolve()).then(() => cb(), cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.flushSync();
    open.delete(this);
    cb(err);
  }

  /** appends what is queued, batch after batch, rotating before a line that would overfill the file */
  private async flush(): Promise<void> {
    try {
      while (this.queued.length) {
        const lines = this.queued;
        this.queued = [];
        this.queuedBytes = 0;
        let batch: Buffer[] = [];
        let batchBytes = 0;
        for (const line of lines) {
          if (this.size + batchBytes + line.length > this.maxBytes && this.size + batchBytes > 0) {
            if (batch.length) await this.append(Buffer.concat(batch));
            batch = [];
            batchBytes = 0;
            this.rotate();
          }
          batch.push(line);
          batchBytes += line.length;
        }
        if (batch.length) await this.append(Buffer.concat(batch));
      }
    } catch {
      // a full or vanished disk drops log lines rather than the process
      this.queued = [];
      this.queuedBytes = 0;
    } finally {
      this.flushing = undefined;
    }
  }

  private async append(bytes: Buffer): Promise<void> {
    this.inflight = bytes;
    await appendFile(this.file, bytes);
    this.inflight = undefined;
    this.size += bytes.length;
  }

  /** at exit: the append in flight unless it landed (the file grew by it), then whatever is queued */
  flushSync(): void {
    const inflight = this.inflight;
    this.inflight = undefined;
    const landed = inflight && existsSync(this.file) && statSync(this.file).size >= this.size + inflight.length;
    const rest = [...(inflight && !landed ? [inflight] : []), ...this.queued];
    if (!rest.length) return;
    try {
      appendFileSync(this.file, Buffer.concat(rest));
    } catch {
      // nothing more can be done at exit
    }
    this.queued = [];
    this.queuedBytes = 0;
  }

  /** a handful of renames once per maxBytes, done at once so no reader sees the set half-shifted */
  private rotate(): void {
    for (let i = KEEP - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.file}.${i + 1}`);
    }
    if (existsSync(this.file)) renameSync(this.file, `${this.file}.1`);
    this.size = 0;
  }
}
