// The lease operations on a table of their own (both drivers: PGlite embedded, PostgreSQL in the
// real-services pass): one claim per task however many ask at once, fencing by owner, expired
// leases neither renewed nor kept, recovery telling queued rows from takeovers.
import { sql } from 'drizzle-orm';
import { bigserial, pgTable, varchar } from 'drizzle-orm/pg-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/harness.js';
import type { Db } from '../db/client.js';
import { taskColumns } from './columns.js';
import { TaskStore } from './store.js';

const jobs = pgTable('test_task_store_jobs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  note: varchar('note', { length: 20 }),
  ...taskColumns(),
});

let db: Db;
let store: TaskStore<typeof jobs, number>;
beforeEach(async () => {
  db = (await testDatabase()).db;
  await db.execute(sql`drop table if exists test_task_store_jobs`);
  await db.execute(sql`create table test_task_store_jobs (
    id bigserial primary key, note varchar(20), status varchar(12) not null default 'queued',
    attempts integer not null default 0, lease_owner uuid, lease_until timestamptz, error_code varchar(40),
    created_at timestamptz not null default now(), started_at timestamptz, finished_at timestamptz)`);
  store = new TaskStore(db, jobs, { key: jobs.id, leaseMs: 60_000 });
});

afterAll(async () => {
  await db?.execute(sql`drop table if exists test_task_store_jobs`);
});

const insert = async (n: number) => (await db.insert(jobs).values(Array.from({ length: n }, () => ({}))).returning()).map((r) => r.id);
const expire = (id: number) => db.execute(sql`update test_task_store_jobs set lease_until = now() - interval '1 second' where id = ${id}`);

describe('TaskStore', () => {
  it('claims asked for at once: each task goes to one caller, in one statement', async () => {
    const ids = await insert(20);
    const claims = await Promise.all([...ids, ...ids].map((id) => store.claim(id)));
    const won = claims.filter((c) => c !== undefined);
    expect(won.map((c) => c.row.id).sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(won.map((c) => c.owner)).size).toBe(1); // one statement, one owner id
    expect(won.every((c) => c.row.status === 'running' && c.row.attempts === 1 && c.row.startedAt)).toBe(true);
    expect(await store.claim(ids[0]!)).toBeUndefined(); // a live claim is not taken
  });

  it('fences by owner: a lost claim can neither complete nor release; the app writes join the transaction', async () => {
    const [id] = await insert(1);
    const first = (await store.claim(id!))!;
    await expire(id!);
    expect(await store.renew(id!, first.owner)).toBe(false); // an expired lease is not renewed
    const second = (await store.claim(id!))!;
    expect(second.row.attempts).toBe(2);
    expect(await store.complete(id!, first.owner, { set: { note: 'late' } })).toBeUndefined();
    expect(await store.release(id!, first.owner)).toBe(false);
    const done = await store.complete(id!, second.owner, {
      set: { note: 'taken over' },
      write: async (tx, row) => (await tx.execute(sql`select ${row.id}::int as id`)) && row.note,
    });
    expect(done?.row).toMatchObject({ status: 'done', note: 'taken over', leaseOwner: null, leaseUntil: null });
    expect(done?.out).toBe('taken over');
    expect(await store.fail(id!, 'TOO_LATE')).toBeUndefined(); // finished tasks stay finished
  });

  it('completions asked for at once finish in one batch: fenced row by row, afterComplete once over the rows done', async () => {
    const calls: number[][] = [];
    const batched = new TaskStore(db, jobs, {
      key: jobs.id,
      afterComplete: async (tx, rows) => {
        // runs in the batch's transaction: it sees the rows already done
        const seen = await tx.execute(sql`select count(*)::int as n from test_task_store_jobs where status = 'done'`);
        calls.push(rows.map((r) => r.id));
        return rows.map((r) => `${r.id}:${r.note ?? '-'}:${(seen as unknown as { rows: Array<{ n: number }> }).rows[0]!.n}`);
      },
    });
    const ids = await insert(6);
    const claims = await Promise.all(ids.map((id) => batched.claim(id)));
    const lost = ids[5]!;
    const done = await Promise.all(
      ids.map((id, i) =>
        batched.complete(id, id === lost ? claims[0]!.owner.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) : claims[i]!.owner, {
          // two shapes of set in one batch: with and without the note
          set: i % 2 === 0 ? { note: `n${i}` } : {},
        }),
      ),
    );
    expect(calls).toHaveLength(1);
    expect([...calls[0]!].sort((a, b) => a - b)).toEqual(ids.slice(0, 5));
    expect(done[5]).toBeUndefined(); // a claim it does not hold: nothing written
    expect(done.slice(0, 5).map((d) => d?.out)).toEqual(ids.slice(0, 5).map((id, i) => `${id}:${i % 2 === 0 ? `n${i}` : '-'}:5`));
    expect(done.slice(0, 5).every((d) => d?.row.status === 'done' && d.row.leaseOwner === null && d.row.finishedAt)).toBe(true);
    const [left] = (await db.select().from(jobs).where(sql`id = ${lost}`));
    expect(left).toMatchObject({ status: 'running', note: null });
  });

  it('release makes a task claimable again; fail without an owner closes any open task', async () => {
    const [a, b] = await insert(2);
    const ca = (await store.claim(a!))!;
    expect(await store.renew(a!, ca.owner)).toBe(true);
    expect(await store.release(a!, ca.owner)).toBe(true);
    expect((await store.claim(a!))?.row.attempts).toBe(2);
    expect(await store.fail(b!, 'CANCELLED')).toMatchObject({ status: 'failed', errorCode: 'CANCELLED' });
  });

  it('recovery: queued rows (all, or only old ones) and running rows whose lease ran out', async () => {
    const [queued, live, dead] = await insert(3);
    await store.claim(live!);
    await store.claim(dead!);
    await expire(dead!);
    const all = await store.recoverable();
    expect(all.map((r) => [r.key, r.status, r.attempts])).toEqual([
      [queued, 'queued', 0],
      [dead, 'running', 1],
    ]);
    expect((await store.recoverable({ queuedOlderThanMs: 60_000 })).map((r) => r.key)).toEqual([dead]);
  });
});
