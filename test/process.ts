// End-to-end helpers for vitest: test/spawn.ts plus cleanup of every process a test file started.
import { afterAll } from 'vitest';
import { running, stopProcess } from './spawn.js';

export * from './spawn.js';

afterAll(async () => {
  await Promise.all([...running].map((p) => stopProcess(p, 'SIGKILL')));
});
