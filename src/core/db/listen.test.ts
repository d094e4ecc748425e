// LISTEN/NOTIFY on both drivers: PGlite in the embedded run, PostgreSQL in the real-services run.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/harness.js';
import { privatePostgres } from '../../../test/private-services.js';
import { openDatabase } from './client.js';
import { eventually } from '../../../test/spawn.js';

const until = (check: () => void, ms?: number) =>
  eventually(async () => {
    check();
    return true;
  }, ms);

describe('Database.listen', () => {
  it('delivers each NOTIFY payload of its channel after commit, and stops when asked', async () => {
    const database = await testDatabase();
    const got: string[] = [];
    const live: boolean[] = [];
    const stop = await database.listen('madang_listen_test', (p) => got.push(p), (l) => live.push(l));
    expect(live).toEqual([true]);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_notify('madang_listen_test', 'one:서울 마포구')`);
      await tx.execute(sql`select pg_notify('madang_other_channel', 'not ours')`);
      expect(got).toEqual([]); // nothing before commit
    });
    // (on PostgreSQL the payload may come twice: the pool's connections listen as well)
    await until(() => expect([...new Set(got)]).toEqual(['one:서울 마포구']));
    // a second listener on the channel tells when 'two' has been delivered to whoever listens
    const control: string[] = [];
    const stopControl = await database.listen('madang_listen_test', (p) => control.push(p), () => undefined);
    await stop();
    await database.db.execute(sql`select pg_notify('madang_listen_test', 'two')`);
    await until(() => expect(control).toContain('two'));
    await stopControl();
    expect(got).not.toContain('two');
  });

  it('a change written through this database has been heard by the time the write resolves', async () => {
    const database = await testDatabase();
    const got: string[] = [];
    const stop = await database.listen('madang_own_writes_test', (p) => got.push(p), () => undefined);
    try {
      for (let i = 0; i < 30; i++) {
        await database.db.execute(sql`select pg_notify('madang_own_writes_test', ${String(i)})`);
        expect(got).toContain(String(i)); // no waiting: a cache invalidated this way is never read stale
      }
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_notify('madang_own_writes_test', 'in a transaction')`);
      });
      expect(got).toContain('in a transaction');
    } finally {
      await stop();
    }
  });

  it('concurrent queries while channels are heard never query a busy pooled connection (no pg DeprecationWarning)', async () => {
    const database = await testDatabase();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const got: string[] = [];
    const stops: Array<() => Promise<void>> = [];
    try {
      // the pool already holds connections (a burst of them) before the channels are added
      await Promise.all(Array.from({ length: 20 }, () => database.db.execute(sql`select pg_sleep(0.01)`)));
      stops.push(await database.listen('madang_busy_a', (p) => got.push(p), () => undefined));
      stops.push(await database.listen('madang_busy_b', (p) => got.push(p), () => undefined));
      // requests' queries and transactions, many at once, each on a connection that still has to LISTEN
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          i % 3 === 0
            ? database.db.transaction(async (tx) => {
                await tx.execute(sql`select pg_notify('madang_busy_a', ${`t${i}`})`);
              })
            : database.db.execute(sql`select pg_notify('madang_busy_b', ${`q${i}`})`),
        ),
      );
      // a warning is emitted on a next tick of the query that caused it: one turn of the loop lets it arrive
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => /already executing a query|DeprecationWarning/.test(w))).toEqual([]);
      expect(new Set(got).size).toBe(60); // and every write was heard
    } finally {
      process.off('warning', onWarning);
      for (const stop of stops) await stop();
    }
  });

  // PGlite lives in this process, with no connection to lose: this one runs on a private PostgreSQL
  // server of its own in both passes (terminating its backends disturbs no other test)
  it('on PostgreSQL, a lost listening connection reports not live, then relistens', async () => {
    const pg = await privatePostgres();
    const database = await openDatabase({ url: pg.url, dataDir: '/tmp', poolMax: 2 });
    expect(database.kind).toBe('postgres');
    const got: string[] = [];
    const live: boolean[] = [];
    const stop = await database.listen('madang_relisten_test', (p) => got.push(p), (l) => live.push(l));
    try {
      await database.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where query = 'LISTEN madang_relisten_test' and pid <> pg_backend_pid()`,
      );
      await until(() => expect(live).toEqual([true, false, true]), 10_000);
      await database.db.execute(sql`select pg_notify('madang_relisten_test', 'after')`);
      await until(() => expect([...new Set(got)]).toEqual(['after']));
    } finally {
      await stop();
      await database.close();
      await pg.stop();
    }
  }, 60_000);
});
