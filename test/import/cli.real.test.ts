// `madang import` as an operator runs it, on machines' history (4,000 rows): a dry run writes
// nothing, an import killed mid-way continues where it stopped, a row that cannot be written
// fails alone (exit 1) and goes in on the next run, and a finished import imports nothing twice.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../process.js';
import { djangoPbkdf2, pgOriginal, pgTarget, runCli, startCli, targetEnv, tempDir, unique } from './helpers.js';
import { MACHINES_SCHEMA } from './originals.js';

const HISTORY = 4000;
let from: string;
let target: string;
let dataDir: string;
let db: pg.Client;

const env = () => targetEnv('machines', dataDir, target);
const count = async (q: string) => Number((await db.query(q)).rows[0]?.n ?? 0);
const row = (out: string, table: string) => {
  const line = out.split('\n').find((l) => l.startsWith(`${table} `));
  if (!line) throw new Error(`no ${table} row in:\n${out}`);
  const [read, imported, repaired, merged, skipped, failed, already] = line.slice(table.length).trim().split(/\s+/).map(Number);
  return { read, imported, repaired, merged, skipped, failed, already };
};

beforeAll(async () => {
  const original = await pgOriginal(unique('madang_orig_cli'));
  from = original.url;
  await original.sql(MACHINES_SCHEMA);
  for (const [id, name] of [[1, 'owner'], [2, 'operator']] as const) {
    await original.sql(
      `insert into accounts values ($1, $2, null, $3, $4, false, true, false, '', '', now() - interval '1 year')`,
      [id, djangoPbkdf2(`${name}-password`, 1000), name, `${name}@example.com`],
    );
  }
  await original.sql(`insert into injection_molding_machines select g, 'm' || g, 'line-' || g, 1, 1 + g % 2, now() - interval '1 year', now() from generate_series(1, 5) g`);
  await original.sql(`insert into machines_history
    select g, now() - make_interval(mins => ${HISTORY} - g) - interval '10 seconds', case when g % 2 = 0 then 'START' else 'STOP' end,
      1 + g % 2, 1 + g % 5, 1 + (1 + g % 5) % 2, (array[1, 2, 3, 4, 5, 7])[1 + g % 6], now() - make_interval(mins => ${HISTORY} - g)
    from generate_series(1, ${HISTORY}) g`);
  target = await pgTarget(unique('madang_tgt_cli'));
  dataDir = tempDir('madang-import-cli');
  db = new pg.Client({ connectionString: target });
  await db.connect();
}, 120_000);

afterAll(async () => {
  await db?.end();
});

// each command starts a process that compiles TypeScript and migrates: slow on a busy machine
describe('madang import (the command)', { timeout: 300_000 }, () => {
  it('usage errors exit 2 with the usage; a source it cannot reach stops with exit 1 and says so', async () => {
    const usage = await runCli(['import', 'machines'], env());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--from <database-url> is required');
    expect(usage.stderr).toContain('usage: madang import');
    const dialect = await runCli(['import', 'zodiac', '--from', from], env());
    expect(dialect.code).toBe(2);
    expect(dialect.stderr).toContain('--from must be a mysql:// URL');
    const media = await runCli(['import', 'zodiac', '--from', 'mysql://root@127.0.0.1:3306/none', '--media', '/nonexistent/media'], env());
    expect(media.code).toBe(2);
    expect(media.stderr).toContain('--media: no folder /nonexistent/media');
    const down = await runCli(['import', 'machines', '--from', 'postgres://postgres@127.0.0.1:1/none'], env());
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('Stopped:');
  });

  it('--dry-run prints what would be imported and touches nothing', async () => {
    const dry = await runCli(['import', 'machines', '--from', from, '--dry-run'], env());
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('DRY RUN (nothing written)');
    expect(row(dry.stdout, 'machines_history')).toMatchObject({ read: HISTORY, imported: HISTORY, failed: 0, already: 0 });
    expect(row(dry.stdout, 'accounts')).toMatchObject({ read: 2, imported: 2 });
    expect(await count(`select count(*) as n from pg_tables where schemaname = 'public'`)).toBe(0);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('an import killed mid-way continues where it stopped; nothing is written twice', async () => {
    const first = startCli(['import', 'machines', '--from', from, '--batch-size', '20'], env());
    const done = await eventually(async () => {
      if (first.child.exitCode !== null) throw new Error(`finished before it could be interrupted:\n${first.output().stdout}`);
      const exists = await count(`select count(*) as n from pg_tables where tablename = 'import_ids'`);
      const n = exists ? await count(`select count(*) as n from import_ids where source_table = 'machines_history'`) : 0;
      return n > 0 ? n : undefined;
    }, 180_000, 20);
    first.child.kill('SIGKILL');
    await first.exited;
    const before = await count(`select count(*) as n from machines_runs`);
    expect(before).toBeGreaterThanOrEqual(done);
    expect(before).toBeLessThan(HISTORY);

    const dry = await runCli(['import', 'machines', '--from', from, '--dry-run'], env());
    expect(dry.stdout).toMatch(/Already imported into the target by an earlier run.*machines_history \d+/);

    const second = await runCli(['import', 'machines', '--from', from], env());
    expect(second.code, second.stderr).toBe(0);
    const h = row(second.stdout, 'machines_history');
    expect(h).toMatchObject({ read: HISTORY, failed: 0, already: before });
    expect(h.imported).toBe(HISTORY - before);
    expect(await count(`select count(*) as n from machines_runs`)).toBe(HISTORY);
    expect(await count(`select count(distinct id) as n from machines_runs`)).toBe(HISTORY);
    expect(await count(`select count(*) as n from machines_runs where status in ('queued', 'running')`)).toBe(0);
  });

  it('a row the target refuses fails alone (exit 1) and goes in on the next run', async () => {
    await db.query(`delete from import_ids where source_table = 'machines_history' and source_id in ('777', '778')`);
    await db.query(`delete from machines_runs where id in (777, 778)`);
    await db.query(`create function refuse_777() returns trigger language plpgsql as $$
      begin if new.id = 777 then raise exception 'refused for the test' using errcode = '23514'; end if; return new; end $$`);
    await db.query(`create trigger refuse_777 before insert on machines_runs for each row execute function refuse_777()`);
    const failing = await runCli(['import', 'machines', '--from', from], env());
    expect(failing.code).toBe(1);
    expect(row(failing.stdout, 'machines_history')).toMatchObject({ imported: 1, failed: 1, already: HISTORY - 2 });
    expect(failing.stdout).toContain('refused for the test');
    await db.query(`drop trigger refuse_777 on machines_runs`);

    const fixed = await runCli(['import', 'machines', '--from', from], env());
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(row(fixed.stdout, 'machines_history')).toMatchObject({ imported: 1, failed: 0, already: HISTORY - 1 });
    expect(await count(`select count(*) as n from machines_runs`)).toBe(HISTORY);
  });

  it('a finished import run again imports nothing; --report writes the whole report as JSON', async () => {
    const file = path.join(tempDir('madang-import-report'), 'report.json');
    const again = await runCli(['import', 'machines', '--from', from, '--report', file], env());
    expect(again.code).toBe(0);
    const report = JSON.parse(readFileSync(file, 'utf8')) as { app: string; tables: Array<{ table: string; already: number }> };
    expect(report.app).toBe('machines');
    expect(report.tables.find((t) => t.table === 'machines_history')!.already).toBe(HISTORY);
    for (const t of ['accounts', 'injection_molding_machines', 'machines_history']) {
      expect(row(again.stdout, t)).toMatchObject({ imported: 0, failed: 0 });
    }
    expect(await count(`select count(*) as n from import_runs where status = 'done'`)).toBeGreaterThanOrEqual(3);
    expect(await count(`select count(*) as n from import_runs where status = 'failed'`)).toBe(1);
  });
});
