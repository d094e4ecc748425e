// The core/tasks migrations convert rows written before them: a database at each app's first
// migration gets rows in every old state, then the rest of the migrations run, and each row reads
// back in the shared task columns (and in the names clients are shown).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf, type Database } from '../src/core/db/client.js';
import { MIGRATIONS_ROOT } from '../src/core/db/migrate.js';

let database: Database;

/** applies `mod`'s migrations, only its first one when `firstOnly` (from a copy with a cut journal) */
async function migrate(mod: string, firstOnly: boolean): Promise<void> {
  let folder = path.join(MIGRATIONS_ROOT, mod);
  if (firstOnly) {
    const copy = mkdtempSync(path.join(tmpdir(), `madang-mig-${mod}-`));
    cpSync(folder, copy, { recursive: true });
    const journal = JSON.parse(readFileSync(path.join(copy, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    journal.entries = journal.entries.slice(0, 1);
    writeFileSync(path.join(copy, 'meta', '_journal.json'), JSON.stringify(journal));
    folder = copy;
  }
  const { migrate: run } = await import('drizzle-orm/pglite/migrator');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await run(database.db as any, { migrationsFolder: folder, migrationsTable: `__migrations_${mod}`, migrationsSchema: 'public' });
}

beforeAll(async () => {
  database = await openDatabase({ url: 'memory:', dataDir: tmpdir(), poolMax: 1 });
  for (const mod of ['core', 'machines', 'zodiac', 'igemoji']) await migrate(mod, true);
}, 60_000);
afterAll(() => database?.close());

const q = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await database.db.execute(query));

describe('task columns migrations', () => {
  it('machines_runs: pending → queued, rejected → failed/REJECTED, failures get a code, lease token → owner', async () => {
    await database.db.execute(sql`insert into machines_users (id, username, email, password_hash) values (1, 'u', 'u@example.com', 'x')`);
    await database.db.execute(sql`insert into machines_machines (id, name, location, owner_id) select g, 'm', 'l', 1 from generate_series(1, 7) g`);
    await database.db.execute(sql`insert into machines_runs (machine_id, worker_id, machine_owner_id, command, state, result, reason, request_datetime, lease_token, attempts) values
      (1, 1, 1, 'START', 'pending', null, null, now(), null, 0),
      (2, 1, 1, 'START', 'running', null, null, now(), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 1),
      (3, 1, 1, 'START', 'done', 1, null, now(), null, 1),
      (4, 1, 1, 'START', 'rejected', 7, 'invalid_state', now(), null, 0),
      (5, 1, 1, 'START', 'failed', 3, 'worker_lost', now(), null, 4),
      (6, 1, 1, 'START', 'failed', 3, 'machine_deleted', now(), null, 0),
      (7, 1, 1, 'START', 'failed', 3, 'timeout', now(), null, 1)`);
    await migrate('machines', false);
    const rows = await q<{ status: string; error_code: string | null; lease_owner: string | null; attempts: number }>(
      sql`select status, error_code, lease_owner, attempts from machines_runs order by machine_id`,
    );
    expect(rows).toEqual([
      { status: 'queued', error_code: null, lease_owner: null, attempts: 0 },
      { status: 'running', error_code: null, lease_owner: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', attempts: 1 },
      { status: 'done', error_code: null, lease_owner: null, attempts: 1 },
      { status: 'failed', error_code: 'REJECTED', lease_owner: null, attempts: 0 },
      { status: 'failed', error_code: 'WORKER_LOST', lease_owner: null, attempts: 4 },
      { status: 'failed', error_code: 'MACHINE_DELETED', lease_owner: null, attempts: 0 },
      { status: 'failed', error_code: 'INTERNAL_FAILED', lease_owner: null, attempts: 1 },
    ]);
    // one open run per machine still holds, on the new column
    await expect(
      database.db.execute(sql`insert into machines_runs (machine_id, worker_id, machine_owner_id, command, request_datetime) values (1, 1, 1, 'STOP', now())`),
    ).rejects.toThrow();
  });

  it('zodiac_tasks and igemoji_faces: pending → queued, analyzing/processing → running, claims → attempts', async () => {
    await database.db.execute(sql`insert into zodiac_users (id, username, alias, email, password_hash) values (1, 'z', 'z', 'z@example.com', 'x')`);
    await database.db.execute(sql`insert into zodiac_pictures (id, user_id, original_key, thumbnail_key, mime, width, height) select g, 1, 'k', 'k', 'image/jpeg', 1, 1 from generate_series(1, 4) g`);
    await database.db.execute(sql`insert into zodiac_tasks (user_id, picture_id, status, claims, error_code) values
      (1, 1, 'pending', 0, null), (1, 2, 'analyzing', 2, null), (1, 3, 'done', 1, null), (1, 4, 'failed', 1, 'NO_FACE_DETECTED')`);
    await database.db.execute(sql`insert into igemoji_users (id, email, alias, password_hash) values (1, 'i@example.com', 'i', 'x')`);
    await database.db.execute(sql`insert into igemoji_emojis (id, user_id, name, images) values (1, 1, 'e', array['a','b','c','d','e','f','g'])`);
    await database.db.execute(sql`insert into igemoji_faces (user_id, emoji_id, image_key, status, claims) values
      (1, 1, 'k1', 'pending', 0), (1, 1, 'k2', 'processing', 1), (1, 1, 'k3', 'done', 1)`);
    await migrate('zodiac', false);
    await migrate('igemoji', false);
    expect(await q(sql`select status, attempts, error_code from zodiac_tasks order by picture_id`)).toEqual([
      { status: 'queued', attempts: 0, error_code: null },
      { status: 'running', attempts: 2, error_code: null },
      { status: 'done', attempts: 1, error_code: null },
      { status: 'failed', attempts: 1, error_code: 'NO_FACE_DETECTED' },
    ]);
    expect(await q(sql`select status, attempts from igemoji_faces order by image_key`)).toEqual([
      { status: 'queued', attempts: 0 },
      { status: 'running', attempts: 1 },
      { status: 'done', attempts: 1 },
    ]);
  });
});
