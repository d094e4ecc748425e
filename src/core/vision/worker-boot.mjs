// Worker-thread entry: under tsx (development, tests) the TypeScript loader is registered in this
// thread first, since Node 20 does not pass --import hooks on to worker threads.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
