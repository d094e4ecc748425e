// `npm start` runs this first: builds the SPA when web/dist is missing or older than its sources,
// so `npm install && npm start` serves the current front end from a fresh clone. The browser tests
// call ensureBuilt() too; a lock directory keeps parallel callers from building into one dist.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const WEB = path.resolve(import.meta.dirname, '..');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'scripts/bundle-report.ts'];
const LOCK = path.join(WEB, '.build-lock');

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(p)) max = Math.max(max, newest(path.join(p, name)));
  return max;
}

export function isStale(): boolean {
  const built = path.join(WEB, 'dist', 'index.html');
  const sourcesAt = Math.max(...SOURCES.map((s) => newest(path.join(WEB, s))));
  return !existsSync(built) || statSync(built).mtimeMs < sourcesAt;
}

async function lock(): Promise<() => void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      // a builder that died leaves its lock behind: older than two minutes means abandoned
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`web: ${LOCK} held for too long`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** builds web/dist when stale; true when it built */
export async function ensureBuilt(log: (line: string) => void = () => undefined): Promise<boolean> {
  if (!isStale()) return false;
  const release = await lock();
  try {
    if (!isStale()) return false;
    const vite = await import('vite');
    log('web: building the front end (web/dist)…');
    // callers such as vitest set NODE_ENV=test, which would bundle React's development build
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await vite.build({ configFile: path.join(WEB, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    return true;
  } finally {
    release();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureBuilt((line) => process.stdout.write(`${line}\n`)).catch((err: unknown) => {
    const missingVite = err instanceof Error && /Cannot find (package|module) 'vite'/.test(err.message);
    if (missingVite) {
      // a production install without dev dependencies: the API still runs, with the placeholder page
      process.stderr.write('web: vite is not installed; serving the placeholder page\n');
      return;
    }
    process.stderr.write(`web: build failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
