// One worker thread of the vision pool: loads the models once, then analyses the images it is sent
// (pixels arrive as transferred buffers, so nothing is copied between threads).
import { parentPort } from 'node:worker_threads';
import type { AnalyzeOptions } from './face-analyzer.js';
import { FaceApiAnalyzer } from './faceapi.adapter.js';

export type WorkerRequest = { id: number; data: Uint8Array; width: number; height: number; opts: AnalyzeOptions };
export type WorkerReply =
  | { kind: 'ready'; loadMs: number; backend: string; rss: number }
  | { kind: 'fatal'; message: string }
  | { kind: 'result'; id: number; analysis: unknown; rss: number }
  | { kind: 'error'; id: number; message: string };

const port = parentPort!;
const analyzer = new FaceApiAnalyzer();

analyzer.ready().then(
  (r) => port.postMessage({ kind: 'ready', ...r, rss: process.memoryUsage().rss } satisfies WorkerReply),
  (err: Error) => port.postMessage({ kind: 'fatal', message: err.message } satisfies WorkerReply),
);

port.on('message', (req: WorkerRequest) => {
  analyzer.analyze({ data: req.data, width: req.width, height: req.height }, req.opts).then(
    (analysis) => port.postMessage({ kind: 'result', id: req.id, analysis, rss: process.memoryUsage().rss } satisfies WorkerReply),
    (err: Error) => port.postMessage({ kind: 'error', id: req.id, message: err.message } satisfies WorkerReply),
  );
});
