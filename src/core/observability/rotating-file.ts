// A minimal size-rotated log file: <dir>/<name>.log, rolled to <name>.log.1 … .5 when full.
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';

const KEEP = 5;

export class RotatingFile extends Writable {
  private readonly file: string;
  private size: number;

  constructor(dir: string, name: string, private readonly maxBytes: number) {
    super();
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `${name}.log`);
    this.size = existsSync(this.file) ? statSync(this.file).size : 0;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    try {
      if (this.size + chunk.length > this.maxBytes && this.size > 0) this.rotate();
      appendFileSync(this.file, chunk);
      this.size += chunk.length;
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  private rotate() {
    for (let i = KEEP - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.file}.${i + 1}`);
    }
    renameSync(this.file, `${this.file}.1`);
    this.size = 0;
  }
}
