// Shared steps for the machines tests: users, tokens and machines created through HTTP only.
import { expect } from 'vitest';
import { json, type TestApp } from '../../../../test/harness.js';

export type Body = Record<string, unknown> & { status?: number; result?: unknown; error?: { code: string; message: string; fields?: Record<string, string[]> } };

export interface Client {
  id: number;
  token: string;
  refresh: string;
  username: string;
}

export function http(t: TestApp) {
  const call = (method: string, url: string, token?: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: method as 'GET',
      url,
      payload: payload as never,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
  return {
    call,
    get: (url: string, token?: string) => call('GET', url, token),
    post: (url: string, payload?: unknown, token?: string) => call('POST', url, token, payload),
    put: (url: string, payload?: unknown, token?: string) => call('PUT', url, token, payload),
    del: (url: string, token?: string) => call('DELETE', url, token),
  };
}

let seq = 0;
export async function signUp(t: TestApp, name = `user${++seq}`, extra: Record<string, unknown> = {}): Promise<Client> {
  const res = await http(t).post('/api/sign-up/', { username: name, password: 'password1', email: `${name}@example.com`, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  const body = json<{ result: { user: { id: number }; token: { access: string; refresh: string } } }>(res);
  return { id: body.result.user.id, token: body.result.token.access, refresh: body.result.token.refresh, username: name };
}

/** staff cannot be created through the API (docs/apps/machines.md §9.4): flip the flag in the database */
export async function makeStaff(t: TestApp, c: Client): Promise<void> {
  const { sql } = await import('drizzle-orm');
  await t.container.core.db.execute(sql`update machines_users set is_staff = true where id = ${c.id}`);
}

export interface MachineOut {
  id: number;
  name: string;
  location: string;
  status: number;
  owner_id: number;
  endpoint_url: string | null;
}

export async function createMachine(t: TestApp, c: Client, body: Record<string, unknown> = {}): Promise<MachineOut> {
  const res = await http(t).post('/api/machines/', { name: 'm', location: 'line-1', ...body }, c.token);
  expect(res.statusCode, res.body).toBe(201);
  return json<{ result: MachineOut }>(res).result;
}

export async function machineStatus(t: TestApp, c: Client, id: number): Promise<number> {
  const res = await http(t).get(`/api/machines/${id}/`, c.token);
  return json<{ result: MachineOut }>(res).result.status;
}

export interface RunOut {
  id: number;
  command: string;
  worker: number;
  machine_id: number;
  machine_owner_id: number;
  result: number | null;
  state: string;
  reason: string | null;
  status_after: number | null;
  attempts: number;
}

export async function operate(t: TestApp, c: Client, machineId: number, command: unknown) {
  const res = await http(t).post(`/api/machines/${machineId}/operation/`, command === undefined ? {} : { command }, c.token);
  return { res, body: json<Body>(res) };
}

/** sends a command, waits for the queue, returns the finished run */
export async function runToEnd(t: TestApp, c: Client, machineId: number, command: string): Promise<RunOut> {
  const { res, body } = await operate(t, c, machineId, command);
  expect(res.statusCode, res.body).toBe(202);
  const runId = (body.result as { run_id: number }).run_id;
  await t.container.core.queue.drain();
  const run = await http(t).get(`/api/machines/${machineId}/runs/${runId}/`, c.token);
  return json<{ result: RunOut }>(run).result;
}

export async function history(t: TestApp, c: Client, url: string): Promise<RunOut[]> {
  const res = await http(t).get(url, c.token);
  expect(res.statusCode, res.body).toBe(200);
  return json<{ result: RunOut[] }>(res).result;
}
