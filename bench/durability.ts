// npm run bench -- durability: what fsync on costs the embedded database. The same single-row
// committed INSERTs on a data dir on disk, with PGlite's default (fsync off) and with madang's
// setting (fsync on, WAL synced with fsync(); src/core/db/pglite-disk.ts), back to back.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { durableNodeFs, pgliteFsyncs, pgliteStartParams } from '../src/core/db/pglite-disk.js';
import { printTable } from './lib.js';

const WRITES = Number(process.env.BENCH_WRITES ?? 500);

async function run(durable: boolean): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'madang-bench-durable-'));
  try {
    const disk = durable ? await durableNodeFs(dir) : new NodeFS(dir);
    const pg = await PGlite.create({ fs: disk, startParams: pgliteStartParams(durable) });
    if (durable) (disk as Awaited<ReturnType<typeof durableNodeFs>>).started();
    await pg.exec('create table w (id serial primary key, body text not null)');
    const fsyncs = pgliteFsyncs.count;
    const t0 = performance.now();
    for (let i = 0; i < WRITES; i++) await pg.query('insert into w (body) values ($1)', [`row ${i}`]);
    const ms = performance.now() - t0;
    await pg.close();
    return {
      setting: durable ? 'fsync on (madang)' : 'fsync off (PGlite default)',
      commits: WRITES,
      'commits/s': Math.round((WRITES / ms) * 1000),
      'ms per commit': (ms / WRITES).toFixed(2),
      fsyncs: pgliteFsyncs.count - fsyncs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function durability(): Promise<void> {
  const rows = [await run(false), await run(true)];
  printTable(`durability: committed single-row INSERTs on disk (load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`, rows);
}
