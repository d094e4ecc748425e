// The embedded database on disk commits durably: fsync on, WAL synced with fsync() (Emscripten's
// fdatasync does nothing), and each committed write reaches fsync(2) before it returns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, pgliteFsyncs, rowsOf, type Database } from './client.js';

let dir: string;
let db: Database;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'madang-durable-'));
  db = await openDatabase({ dataDir: dir, poolMax: 1 });
}, 120_000);
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded durability', () => {
  it('runs with fsync on and the WAL synced by fsync()', async () => {
    const rows = rowsOf<{ name: string; setting: string }>(
      await db.db.execute(sql`select name, setting from pg_settings where name in ('fsync', 'wal_sync_method', 'synchronous_commit')`),
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.setting]))).toEqual({ fsync: 'on', wal_sync_method: 'fsync', synchronous_commit: 'on' });
  });

  it('each committed write is fsynced before it returns', async () => {
    await db.db.execute(sql`create table durable_probe (n int)`);
    const before = pgliteFsyncs.count;
    for (let i = 0; i < 5; i++) await db.db.execute(sql`insert into durable_probe values (${i})`);
    expect(pgliteFsyncs.count - before).toBeGreaterThanOrEqual(5);
  });
});
