// Runs once before all test files: migrates a template database for the workers to start from.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { prepareTemplate } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDump: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dumpFile = path.join(tmpdir(), `madang-pglite-template-${process.pid}.tar`);
  await prepareTemplate(4, dumpFile);
  project.provide('templateDump', dumpFile);
  return () => rmSync(dumpFile, { force: true });
}
