#!/usr/bin/env node
// The `madang` command (serve | worker | migrate | seed-demo | import): the compiled server in
// dist/, built first when missing or older than its sources (scripts/build.mjs --if-stale).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-stale'], { cwd: root, stdio: ['ignore', 2, 2] });
if (built.status !== 0) process.exit(built.status ?? 1);
await import('../dist/main.js');
