#!/usr/bin/env node
// `npm run build`: the server compiled to dist/ (tsc), the initialised embedded-database image
// (dist/pglite-image-<version>, so a new data dir is a copy instead of initdb in WASM), and the
// web build (web/dist). `node scripts/build.mjs --if-stale` (npm start runs it first) builds only
// what is missing or older than its sources. Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const ifStale = process.argv.includes('--if-stale');

function newest(p, skip = () => false) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return skip(p) ? 0 : st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(p)) max = Math.max(max, newest(path.join(p, name), skip));
  return max;
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const isTest = (p) => p.endsWith('.test.ts') || p.includes(`${path.sep}tests${path.sep}`);

function run(what, cmd, args) {
  console.log(`build: ${what}`);
  const r = spawnSync(process.execPath, [cmd, ...args], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) {
    console.error(`build: ${what} failed`);
    process.exit(r.status ?? 1);
  }
}

function tool(bin, pkg) {
  const file = path.join(ROOT, 'node_modules', bin);
  if (!existsSync(file)) {
    console.error(`build: ${pkg} is not installed (a production install has no dev dependencies): run \`npm install\` and \`npm run build\` first`);
    process.exit(1);
  }
  return file;
}

// tsc (incremental) leaves unchanged outputs alone: this stamp says when dist/ was last made
const stamp = path.join(ROOT, 'dist', '.built');
const serverStale =
  !existsSync(path.join(ROOT, 'dist', 'main.js')) ||
  mtime(stamp) < Math.max(newest(path.join(ROOT, 'src'), isTest), mtime(path.join(ROOT, 'tsconfig.json')), mtime(path.join(ROOT, 'tsconfig.build.json')));
if (!ifStale || serverStale) {
  run('server (tsc -p tsconfig.build.json → dist/)', tool('typescript/bin/tsc', 'typescript'), ['-p', 'tsconfig.build.json']);
  copyFileSync(path.join(ROOT, 'src/core/vision/worker-boot.mjs'), path.join(ROOT, 'dist/core/vision/worker-boot.mjs'));
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

// the image: initdb once here, instead of at every new data dir's first start
const { PGLITE_IMAGE, buildPgliteImage } = await import(path.join(ROOT, 'dist/core/db/pglite-disk.js'));
if (!existsSync(path.join(PGLITE_IMAGE, 'PG_VERSION'))) {
  console.log('build: embedded database image (initdb, once; ~20 s)');
  await buildPgliteImage();
}

const webSources = ['src', 'index.html', 'vite.config.ts', 'scripts/bundle-report.ts'].map((s) => newest(path.join(ROOT, 'web', s)));
const webStale = mtime(path.join(ROOT, 'web/dist/index.html')) < Math.max(...webSources);
if (!ifStale || webStale) run('web (vite build → web/dist/)', tool('vite/bin/vite.js', 'vite'), ['build', '--config', 'web/vite.config.ts']);
