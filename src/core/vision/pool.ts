// The FaceAnalyzer the apps use: a pool of worker threads, each loading the models once, so no
// inference ever runs on the event loop of the API (embedded mode) or of a `worker` process
// (BullMQ mode). One image per thread at a time; extra requests wait in a FIFO. A crashed thread
// fails only its current image and is replaced on the next request.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  VisionUnavailableError,
  type AnalyzeOptions,
  type FaceAnalysis,
  type FaceAnalyzer,
  type RgbImage,
  type VisionState,
} from './face-analyzer.js';
import type { WorkerReply, WorkerRequest } from './vision.worker.js';

interface Job {
  id: number;
  image: RgbImage;
  opts: AnalyzeOptions;
  resolve(a: FaceAnalysis): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: Promise<{ loadMs: number; backend: string }>;
  job?: Job;
  rss: number;
  loaded?: boolean;
}

export interface PoolStats {
  threads: number;
  busy: number;
  waiting: number;
  /** resident set size of the process, as last reported by a thread (threads share the process) */
  rss: number;
}

function workerEntry(): { boot: URL; entry: string } {
  const boot = new URL('./worker-boot.mjs', import.meta.url);
  const ts = new URL('./vision.worker.ts', import.meta.url);
  const js = new URL('./vision.worker.js', import.meta.url);
  return { boot, entry: existsSync(fileURLToPath(js)) ? js.href : ts.href };
}

export class ThreadPoolAnalyzer implements FaceAnalyzer {
  private slots: Array<Slot | undefined>;
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private fatal?: Error;

  constructor(readonly size = 1) {
    this.slots = new Array<Slot | undefined>(Math.max(1, size)).fill(undefined);
  }

  /** Starts every thread and waits for the models; rejects (loudly) if the WASM backend is missing. */
  async ready(): Promise<{ loadMs: number; backend: string }> {
    const all = await Promise.all(this.slots.map((_, i) => this.slot(i).ready));
    return { loadMs: Math.max(...all.map((r) => r.loadMs)), backend: all[0]!.backend };
  }

  analyze(image: RgbImage, opts: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    if (this.closed) return Promise.reject(new VisionUnavailableError('vision pool is closed'));
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, image, opts, resolve, reject });
      this.pump();
    });
  }

  state(): VisionState {
    if (this.fatal) return 'failed';
    const live = this.slots.filter((s): s is Slot => Boolean(s));
    if (!live.length) return 'idle';
    return live.some((s) => s.loaded) ? 'ready' : 'loading';
  }

  stats(): PoolStats {
    const live = this.slots.filter((s): s is Slot => Boolean(s));
    return {
      threads: live.length,
      busy: live.filter((s) => s.job).length,
      waiting: this.queue.length,
      rss: Math.max(0, ...live.map((s) => s.rss)),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new VisionUnavailableError('vision pool is closed'));
    await Promise.all(this.slots.map((s) => s?.worker.terminate()));
    this.slots.fill(undefined);
  }

  private slot(i: number): Slot {
    const existing = this.slots[i];
    if (existing) return existing;
    const { boot, entry } = workerEntry();
    const worker = new Worker(boot, { workerData: { entry } });
    worker.unref();
    let markReady!: (r: { loadMs: number; backend: string }) => void;
    let markFailed!: (e: Error) => void;
    const ready = new Promise<{ loadMs: number; backend: string }>((res, rej) => {
      markReady = res;
      markFailed = rej;
    });
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready, rss: 0 };
    this.slots[i] = slot;
    worker.on('message', (msg: WorkerReply) => {
      if (msg.kind === 'ready') {
        slot.rss = msg.rss;
        slot.loaded = true;
        markReady({ loadMs: msg.loadMs, backend: msg.backend });
      } else if (msg.kind === 'fatal') {
        this.fatal = new VisionUnavailableError(msg.message);
        markFailed(this.fatal);
        this.failAll(this.fatal);
      } else {
        if (msg.kind === 'result') slot.rss = msg.rss;
        const job = slot.job;
        if (!job || job.id !== msg.id) return;
        this.release(slot);
        if (msg.kind === 'result') job.resolve(msg.analysis as FaceAnalysis);
        else job.reject(new Error(msg.message));
      }
    });
    const onGone = (err?: Error) => {
      if (this.slots[i] !== slot) return;
      this.slots[i] = undefined;
      markFailed(err ?? new VisionUnavailableError('vision worker exited'));
      const job = slot.job;
      slot.job = undefined;
      job?.reject(err ?? new Error('vision worker exited during analysis'));
      if (!this.closed) this.pump();
    };
    worker.on('error', (err) => onGone(err));
    worker.on('exit', () => onGone());
    return slot;
  }

  private release(slot: Slot) {
    slot.job = undefined;
    slot.worker.unref();
    this.pump();
  }

  private pump() {
    if (this.closed || this.fatal) return;
    for (let i = 0; i < this.slots.length && this.queue.length > 0; i++) {
      const slot = this.slot(i);
      if (slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      // a busy thread keeps the process alive; an idle one must not
      slot.worker.ref();
      const data = new Uint8Array(job.image.data);
      const req: WorkerRequest = { id: job.id, data, width: job.image.width, height: job.image.height, opts: job.opts };
      slot.worker.postMessage(req, [data.buffer]);
    }
  }

  private failAll(err: Error) {
    for (const job of this.queue.splice(0)) job.reject(err);
    for (const s of this.slots) {
      const job = s?.job;
      if (s) s.job = undefined;
      job?.reject(err);
    }
  }
}
