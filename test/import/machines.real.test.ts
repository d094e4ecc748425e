// machines: project-injection's tables on PostgreSQL, with the bugs of a running deployment
// (machines of deleted users, history of deleted machines and of deleted users, an old status
// enum, request times 9 h off, case-variant usernames), imported into PostgreSQL and read back
// through madang's machines API.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/core/db/client.js';
import { runImport, type ImportResult } from '../../src/import/run.js';
import { djangoPbkdf2, pgOriginal, pgTarget, serve, targetConfig, tempDir, unique, type Served } from './helpers.js';
import { MACHINES_SCHEMA } from './originals.js';

let served: Served;
let result: ImportResult;

type Run = { id: number; command: string; worker: number; machine_id: number; result: number; machine_owner_id: number; state: string; request_datetime: string };

async function login(username: string, password: string): Promise<string> {
  const res = await served.app.inject({ method: 'POST', url: '/api/log-in/', payload: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().result.token.access;
}

const get = async (url: string, token: string) => {
  const res = await served.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: res.json() };
};

beforeAll(async () => {
  const original = await pgOriginal(unique('madang_orig_machines'));
  await original.sql(MACHINES_SCHEMA);
  const account = (id: number, username: string, email: string, password: string, admin = false) =>
    original.sql(
      `insert into accounts (id, password, username, email, is_staff, is_active, is_superuser, first_name, last_name, date_joined)
       values ($1, $2, $3, $4, $5, true, $5, 'F', 'L', now() - interval '100 days')`,
      [id, password, username, email, admin],
    );
  await account(1, 'admin', 'example@example.com', djangoPbkdf2('1qaz2wsx2', 870_000), true);
  await account(2, 'string', 'abcd@abcd.com', djangoPbkdf2('string-pass', 870_000));
  await account(3, 'Operator', 'op@example.com', djangoPbkdf2('op-pass-1', 1000));
  await account(4, 'operator', 'OP@example.com', djangoPbkdf2('op-pass-2', 1000));
  const machine = (id: number, owner: number, status: number, location = `test-${id}`) =>
    original.sql(`insert into injection_molding_machines values ($1, $2, $3, $4, $5, now() - interval '90 days', now() - interval '1 day')`, [id, `test${id}`, location, status, owner]);
  await machine(1, 1, 1);
  await machine(2, 1, 2, 'http://10.0.0.5:8080/cmd');
  await machine(3, 2, 1);
  await machine(7, 9, 1); // owner 9 was deleted
  await machine(8, 2, 7); // a status from an older enum
  const history = (id: number, machineId: number, owner: number, worker: number, command: string, res: number, aheadHours = 0) => {
    const written = new Date(Date.now() - 2 * 86400_000 + id * 60_000);
    const requested = new Date(written.getTime() - 10_000 + aheadHours * 3600_000);
    return original.sql('insert into machines_history values ($1, $2, $3, $4, $5, $6, $7, $8)', [id, requested, command, worker, machineId, owner, res, written]);
  };
  await history(1, 1, 1, 1, 'START', 1);
  await history(2, 1, 1, 1, 'STOP', 7);
  await history(3, 1, 1, 2, 'START', 5);
  await history(4, 1, 1, 1, 'START', 3, 9); // request time stored 9 h ahead (naive KST as UTC)
  await history(5, 2, 1, 1, 'START', 2);
  await history(6, 11, 2, 2, 'START', 1); // machine 11 was deleted, its history stayed
  await history(7, 11, 2, 2, 'STOP', 4);
  await history(8, 12, 9, 9, 'START', 1); // machine and owner both deleted
  await history(9, 3, 2, 9, 'START', 5); // the issuing user was deleted
  await history(10, 3, 2, 2, 'JUMP', 6); // never written by the original, but a hand-made row
  await history(11, 7, 9, 9, 'START', 1); // machine 7 itself is not importable

  const target = await pgTarget(unique('madang_tgt_machines'));
  const config = targetConfig('machines', tempDir('madang-import-machines'), target);
  result = await runImport(config, { app: 'machines', from: original.url });
  served = await serve(config);
}, 120_000);

describe('madang import machines → PostgreSQL', () => {
  it('reports what was imported, repaired and skipped; nothing failed', () => {
    expect(result.exitCode, result.report.summary()).toBe(0);
    const stats = Object.fromEntries(result.report.toJson().tables.map((t) => [t.table, t]));
    expect(stats.accounts).toMatchObject({ read: 4, imported: 4, failed: 0 });
    expect(stats.injection_molding_machines).toMatchObject({ read: 5, imported: 4, skipped: 1 });
    expect(stats['injection_molding_machines (deleted)']).toMatchObject({ imported: 1, skipped: 1 });
    expect(stats.machines_history).toMatchObject({ read: 11, imported: 7, skipped: 4, failed: 0 });
    const summary = result.report.summary();
    expect(summary).toContain('owner account no longer exists');
    expect(summary).toContain('issuing user no longer exists');
    expect(summary).toContain('request_datetime 9 h ahead');
  });

  it('the admin logs in with the Django password and sees the machines and their history with result codes', async () => {
    const token = await login('admin', '1qaz2wsx2');
    // staff list every machine; the deleted stand-in (11) is not listed
    const list = await get('/api/machines/?page_size=100', token);
    expect(list.body.result.map((m: { id: number; status: number; owner_id: number }) => [m.id, m.status, m.owner_id])).toEqual([[1, 1, 1], [2, 2, 1], [3, 1, 2], [8, 4, 2]]);
    expect(list.body.result[1].endpoint_url).toBe('http://10.0.0.5:8080/cmd');
    const hist = await get('/api/machines/1/history/?page_size=100', token);
    expect(hist.status).toBe(200);
    const runs = hist.body.result as Run[];
    expect(runs.map((r) => [r.id, r.command, r.worker, r.result, r.state]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [1, 'START', 1, 1, 'done'],
      [2, 'STOP', 1, 7, 'rejected'],
      [3, 'START', 2, 5, 'rejected'],
      [4, 'START', 1, 3, 'failed'],
    ]);
  });

  it('the 9-hours-ahead request time is put back before the row was written', async () => {
    const [row] = rowsOf<{ gap: number }>(
      await served.container.core.db.execute(sql`select extract(epoch from created_at - request_datetime)::int as gap from machines_runs where id = 4`),
    );
    expect(row!.gap).toBe(10);
  });

  it("a deleted machine's history stays readable by its owner; a run issued on someone else's machine shows in the issuer's history", async () => {
    const token = await login('string', 'string-pass');
    const gone = await get('/api/machines/11/history/?page_size=100', token);
    expect(gone.status).toBe(200);
    expect((gone.body.result as Run[]).map((r) => r.id).sort()).toEqual([6, 7]);
    expect((await get('/api/machines/11/', token)).status).toBe(404);
    const mine = await get('/api/user/machines/history/?page_size=100', token);
    expect((mine.body.result as Run[]).map((r) => r.id).sort((a, b) => a - b)).toEqual([3, 6, 7]);
  });

  it('an old status becomes ERROR; a case-variant username gets a suffix and keeps its password', async () => {
    const token = await login('string', 'string-pass');
    const m8 = await get('/api/machines/8/', token);
    expect(m8.body.result.status).toBe(4);
    await login('Operator', 'op-pass-1');
    await login('operator_4', 'op-pass-2');
  });

  it('new machines and runs get ids after the imported ones', async () => {
    const token = await login('admin', '1qaz2wsx2');
    const res = await served.app.inject({ method: 'POST', url: '/api/machines/', headers: { authorization: `Bearer ${token}` }, payload: { name: 'new', location: 'line-9' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().result.id).toBe(12);
    const op = await served.app.inject({ method: 'POST', url: '/api/machines/1/operation/', headers: { authorization: `Bearer ${token}` }, payload: { command: 'START' } });
    expect(op.statusCode, op.body).toBe(202);
    expect(op.json().result.run_id).toBe(12);
  });
});
