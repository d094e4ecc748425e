// Runs once before all test files: migrates a template database for the workers to start from, and
// unpacks the npm Chromium when the browser tests will use it (test/chromium.ts says why here).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { npmChromium, usesSystemChromium } from './chromium.js';
import { dropRunDatabases, prepareTemplate } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDump: string;
    testRun: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dumpFile = path.join(tmpdir(), `madang-pglite-template-${process.pid}.tar`);
  const run = String(process.pid);
  await Promise.all([prepareTemplate(4, dumpFile, run), usesSystemChromium() ? undefined : npmChromium()]);
  project.provide('templateDump', dumpFile);
  project.provide('testRun', run);
  return async () => {
    rmSync(dumpFile, { force: true });
    await dropRunDatabases(4, run);
  };
}
