// The embedded database on disk: PGlite's start parameters, a file system that makes commits
// durable and files private, and the initialised image a new data dir starts from.
// Findings and numbers: docs/architecture.md "Embedded database".
import { spawnSync } from 'node:child_process';
import fs, { cpSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePrivate } from '../private-files.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);
// its package.json is not exported: read it beside the entry (dist/index.cjs)
const PGLITE_VERSION = (
  JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string }
).version;

/** the initialised (initdb'd, cleanly shut down) data dir `npm run build` makes for this PGlite */
export const PGLITE_IMAGE = path.join(ROOT, 'dist', `pglite-image-${PGLITE_VERSION}`);

/**
 * PGlite's own start parameters with three changes. `shared_buffers` 16 MB instead of 128 MB:
 * PostgreSQL zeroes its buffer pool at start, so in WASM all of it is resident at once (about
 * -120 MB RSS); the OS page cache still holds the files. On disk, `fsync=on` (PGlite passes -F,
 * fsync off) with `wal_sync_method=fsync`: Emscripten's fdatasync does nothing, its fsync reaches
 * DurableNodeFS below, so a commit returns once its WAL is on stable storage.
 */
export function pgliteStartParams(durable: boolean): string[] {
  return [
    '--single',
    ...(durable ? [] : ['-F']),
    '-O',
    '-j',
    ...['search_path=public', 'exit_on_error=false', 'log_checkpoints=false'],
    ...['max_worker_processes=0', 'max_parallel_workers=0', 'max_parallel_workers_per_gather=0', 'max_parallel_maintenance_workers=0'],
    ...['io_method=sync', 'shared_buffers=16MB', 'max_connections=4'],
    ...(durable ? ['fsync=on', 'wal_sync_method=fsync'] : []),
  ].flatMap((p) => (p.includes('=') ? ['-c', p] : [p]));
}

/** fsync calls made for the database (tests check that commits reach the disk) */
export const pgliteFsyncs = { count: 0 };

/** fsyncs every file and directory under dir: one syncfs(2) via `sync -f` where there is one */
function syncTree(dir: string): void {
  if (process.platform === 'linux' && spawnSync('sync', ['-f', dir], { stdio: 'ignore' }).status === 0) {
    pgliteFsyncs.count++;
    return;
  }
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) for (const name of readdirSync(p)) walk(path.join(p, name));
    const fd = fs.openSync(p, 'r');
    try {
      fs.fsyncSync(fd);
      pgliteFsyncs.count++;
    } catch {
      // a directory on a file system that cannot sync one
    } finally {
      fs.closeSync(fd);
    }
  };
  walk(dir);
}

/**
 * Emscripten's NODEFS, which writes through to real files, plus what it lacks: fsync (so the
 * database's fsync() of WAL and data files reaches the disk) and private modes (group and other
 * bits dropped from every file it creates or chmods, whatever PostgreSQL or an untar asks for).
 *
 * While the database starts, fsyncs are gathered: after a crash PostgreSQL fsyncs every file of
 * the data dir one by one (about 2,000 calls, 8 s here); `started()` replaces them with one sync of
 * the file system before the database is used.
 */
export async function durableNodeFs(dataDir: string) {
  const { NodeFS } = await import('@electric-sql/pglite/nodefs');
  let starting = true;
  let deferred = 0;
  class DurableNodeFS extends NodeFS {
    override async init(...args: Parameters<InstanceType<typeof NodeFS>['init']>) {
      const out = await super.init(...args);
      const preRun = out.emscriptenOpts.preRun ?? [];
      out.emscriptenOpts.preRun = [
        ...(Array.isArray(preRun) ? preRun : [preRun]),
        (mod: { NODEFS: { stream_ops: Record<string, unknown>; node_ops: Record<string, unknown> } }) => {
          const ops = mod.NODEFS.node_ops as Record<string, (...a: unknown[]) => unknown>;
          const { mknod, setattr } = ops;
          ops.mknod = (parent, name, mode, dev) => mknod!(parent, name, (mode as number) & ~0o077, dev);
          ops.setattr = (node, attr) => {
            const a = attr as { mode?: number };
            if (a.mode !== undefined) a.mode &= ~0o077;
            return setattr!(node, a);
          };
          mod.NODEFS.stream_ops.fsync = (stream: { nfd?: number }) => {
            if (stream.nfd === undefined) return 0;
            if (starting) {
              deferred++;
              return 0;
            }
            try {
              fs.fsyncSync(stream.nfd);
              pgliteFsyncs.count++;
              return 0;
            } catch (err) {
              // a directory on a file system that cannot sync one: nothing to do
              if (['EINVAL', 'EISDIR', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) return 0;
              return 29; // EIO: PostgreSQL treats a failed fsync as fatal, as it must
            }
          };
        },
      ] as typeof out.emscriptenOpts.preRun;
      return out;
    }

    /** the database is up: the syncs asked for while starting happen now, at once */
    started(): void {
      starting = false;
      if (deferred > 0) syncTree(dataDir);
      deferred = 0;
    }
  }
  return new DurableNodeFS(dataDir);
}

/**
 * A new (missing or empty) data dir becomes a copy of the build's image, copied beside it and
 * renamed into place, so a start killed halfway leaves no half-made database. Without an image
 * (running from source before `npm run build`) PGlite runs initdb itself, which is much slower.
 */
export function seedFromImage(dataDir: string): void {
  if (existsSync(path.join(dataDir, 'PG_VERSION')) || !existsSync(path.join(PGLITE_IMAGE, 'PG_VERSION'))) return;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return; // not ours to replace
  const tmp = `${dataDir}.seed-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  cpSync(PGLITE_IMAGE, tmp, { recursive: true, mode: fs.constants.COPYFILE_FICLONE });
  makePrivate(tmp); // the image is world-readable in a container build
  syncTree(tmp);
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(tmp, dataDir);
}

/** `npm run build`: initdb once, shut down cleanly, keep the directory as the image */
export async function buildPgliteImage(): Promise<string> {
  if (existsSync(path.join(PGLITE_IMAGE, 'PG_VERSION'))) return PGLITE_IMAGE;
  const { PGlite } = await import('@electric-sql/pglite');
  const tmp = `${PGLITE_IMAGE}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
  const disk = await durableNodeFs(tmp);
  const pg = await PGlite.create({ fs: disk, startParams: pgliteStartParams(true) });
  disk.started();
  await pg.close();
  rmSync(PGLITE_IMAGE, { recursive: true, force: true });
  renameSync(tmp, PGLITE_IMAGE);
  return PGLITE_IMAGE;
}
