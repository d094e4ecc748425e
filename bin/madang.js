#!/usr/bin/env node
// The `madang` command (serve | worker | migrate | seed-demo | import). It runs the TypeScript
// entry through tsx, exactly as `npm start` does; when a compiled build exists, this is the one
// place that switches to it.
await import('tsx');
await import('../src/main.ts');
