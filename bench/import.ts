// import: rows per second moving an original in with `madang import` (in-process runImport):
// machines with 100,000 history rows and mealbuddy with 10,000 posts (each with its room, two
// memberships and two messages), into PostgreSQL and into the embedded database. Baseline in the
// same run: the same 100,000 history rows into the same table by a bare keyset read and 1,000-row
// INSERTs, no importer. Needs PostgreSQL (DATABASE_URL) for the originals; dropped at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/core/config.js';
import type { Progress } from '../src/import/progress.js';
import { runImport } from '../src/import/run.js';
import { benchDatabase, printTable } from './lib.js';

const HISTORY = Number(process.env.BENCH_IMPORT_HISTORY ?? 100_000);
const POSTS = Number(process.env.BENCH_IMPORT_POSTS ?? 10_000);
const PBKDF2 = 'pbkdf2_sha256$1000$salt$2BwOPGXJzBOEGn4ubUEz9CJi0L6vbDyQ3wDeQ2xKh5Q=';

const MACHINES = `
create table accounts (id bigint primary key, password varchar(128) not null, last_login timestamptz, username varchar(150) not null unique,
  email varchar(254) not null unique, is_staff boolean not null, is_active boolean not null, is_superuser boolean not null,
  first_name varchar(30) not null, last_name varchar(150) not null, date_joined timestamptz not null);
create table injection_molding_machines (id bigint primary key, name varchar(64) not null, location varchar(256) not null,
  status smallint not null, owner_id bigint not null, created_at timestamptz not null, updated_at timestamptz not null);
create table machines_history (id bigint primary key, request_datetime timestamptz not null, command varchar(64) not null, worker bigint not null,
  machine_id bigint not null, machine_owner_id bigint not null, result smallint not null, created_at timestamptz not null);
insert into accounts select g, '${PBKDF2}', null, 'user' || g, 'user' || g || '@example.com', false, true, false, '', '', now() from generate_series(1, 50) g;
insert into injection_molding_machines select g, 'm' || g, 'line-' || g, 1, 1 + g % 50, now(), now() from generate_series(1, 100) g;
insert into machines_history select g, now() - g * interval '1 minute' - interval '10 seconds', case when g % 2 = 0 then 'START' else 'STOP' end,
  1 + (1 + g % 100) % 50, 1 + g % 100, 1 + (1 + g % 100) % 50, (array[1, 1, 1, 2, 3, 4, 5, 7])[1 + g % 8], now() - g * interval '1 minute'
  from generate_series(1, ${HISTORY}) g;`;

const MEALBUDDY = `
create table user_user (id bigint primary key, password varchar(128) not null, last_login timestamptz, is_superuser boolean not null,
  email varchar(254) not null unique, username varchar(255) not null unique, address varchar(200) not null, is_active boolean not null,
  is_staff boolean not null, created_at timestamptz not null, updated_at timestamptz not null);
create table post_post (id bigint primary key, title varchar(30) not null, category varchar(30) not null, content text not null, writer_id bigint not null,
  address varchar(30) not null, created_at timestamptz not null, is_compelete boolean not null, target_number integer not null, join_number integer not null);
create table "chatRoom" (id bigint primary key, post_id bigint not null unique, is_deleted boolean not null, blacklist varchar(20)[]);
create table "chatRoomJoin" (id bigint primary key, chatroom_id bigint not null, user_id bigint not null, is_deleted boolean not null,
  created_at timestamptz not null, updated_at timestamptz not null);
create table "chatMessage" (id bigint primary key, message varchar(300) not null, created_at timestamptz not null, chatroom_id bigint not null, user_id bigint);
insert into user_user select g, '${PBKDF2}', null, false, 'u' || g || '@example.com', 'user' || g, '제주시 ' || (g % 20), true, false, now(), now() from generate_series(1, 1000) g;
insert into post_post select g, 'post ' || g, '치킨', '같이 시켜요', 1 + g % 1000, '제주시 ' || ((1 + g % 1000) % 20), now() - g * interval '1 minute', false, 4, 2
  from generate_series(1, ${POSTS}) g;
insert into "chatRoom" select g, g, false, case when g % 10 = 0 then array[(1 + (g + 7) % 1000)::text] else '{}' end from generate_series(1, ${POSTS}) g;
insert into "chatRoomJoin" select g, 1 + (g - 1) / 2, case when g % 2 = 1 then 1 + ((g + 1) / 2) % 1000 else 1 + ((g + 1) / 2 + 1) % 1000 end,
  false, now(), now() - interval '1 day' from generate_series(1, ${POSTS * 2}) g;
insert into "chatMessage" select g, 'message ' || g, now() - interval '1 day' + g * interval '1 second', 1 + (g - 1) / 2, null from generate_series(1, ${POSTS * 2}) g;`;

/** per original table: rows and seconds, from the progress hooks */
function timing(): Progress & { tables: Map<string, { rows: number; ms: number }> } {
  const tables = new Map<string, { rows: number; ms: number }>();
  let current = '';
  let began = 0;
  return {
    tables,
    start(label) {
      current = label;
      began = performance.now();
      tables.set(label, { rows: 0, ms: 0 });
    },
    advance(rows) {
      tables.get(current)!.rows += rows;
    },
    done() {
      tables.get(current)!.ms = performance.now() - began;
    },
  };
}

async function source(name: string, ddl: string): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const db = await benchDatabase(name, 'import');
  if (!db) return undefined;
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(ddl);
  await c.end();
  return db;
}

/**
 * The baseline: the same history rows into the same table (its indexes, checks and foreign keys)
 * by a bare keyset read and 1,000-row INSERTs, after the importer's rows were removed again.
 */
async function bareCopy(from: string, to: string): Promise<number> {
  const src = new pg.Client({ connectionString: from });
  const dst = new pg.Client({ connectionString: to });
  await Promise.all([src.connect(), dst.connect()]);
  await dst.query(`delete from machines_runs; delete from import_ids where source_table = 'machines_history'`);
  const t0 = performance.now();
  let after = 0;
  for (;;) {
    const { rows } = await src.query('select * from machines_history where id > $1 order by id limit 1000', [after]);
    if (rows.length === 0) break;
    const values: unknown[] = [];
    const tuples = rows.map((r, i) => {
      values.push(r.id, r.machine_id, r.worker, r.machine_owner_id, r.command, 'done', r.result, r.request_datetime, r.created_at);
      return `(${Array.from({ length: 9 }, (_, k) => `$${i * 9 + k + 1}`).join(', ')})`;
    });
    await dst.query(`insert into machines_runs (id, machine_id, worker_id, machine_owner_id, command, state, result, request_datetime, created_at) values ${tuples.join(', ')}`, values);
    after = Number(rows[rows.length - 1].id);
  }
  const ms = performance.now() - t0;
  await Promise.all([src.end(), dst.end()]);
  return ms;
}

export default async function run(): Promise<void> {
  const machines = await source('madang_bench_import_src_m', MACHINES);
  const mealbuddy = machines && (await source('madang_bench_import_src_mb', MEALBUDDY));
  if (!machines || !mealbuddy) return;
  const rows: Array<Record<string, string | number>> = [];
  const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');
  try {
    for (const kind of ['PostgreSQL', 'embedded'] as const) {
      for (const [app, from, table] of [['machines', machines.url, 'machines_history'], ['mealbuddy', mealbuddy.url, 'post_post']] as const) {
        const dataDir = mkdtempSync(path.join(os.tmpdir(), 'madang-bench-import-'));
        const target = kind === 'PostgreSQL' ? await benchDatabase(`madang_bench_import_${app}`, 'import') : undefined;
        const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789', ...(target ? { DATABASE_URL: target.url } : {}) });
        const progress = timing();
        const t0 = performance.now();
        const result = await runImport(config, { app, from, progress });
        const total = performance.now() - t0;
        if (result.exitCode !== 0) console.log(result.report.summary());
        const t = progress.tables.get(table)!;
        const imported = result.report.toJson().tables.reduce((n, s) => n + s.imported, 0);
        rows.push({ what: `${app}: ${table} step`, target: kind, rows: t.rows, s: (t.ms / 1000).toFixed(1), 'rows/s': rate(t.rows, t.ms) });
        rows.push({ what: `${app}: whole import (every table, start-up and migrations included)`, target: kind, rows: imported, s: (total / 1000).toFixed(1), 'rows/s': rate(imported, total) });
        if (target && app === 'machines') {
          const bareMs = await bareCopy(from, target.url);
          rows.push({ what: 'baseline: the same history rows, same table, bare INSERTs (no importer)', target: kind, rows: HISTORY, s: (bareMs / 1000).toFixed(1), 'rows/s': rate(HISTORY, bareMs) });
        }
        await target?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await machines.drop();
    await mealbuddy.drop();
  }
  printTable(`madang import, default batch of 1,000 rows (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`, rows);
}
