// The embedded data dir over real processes: one owner at a time (a second `serve` on the same
// DATA_DIR exits at once naming the owner; a lock left by a kill -9 is taken over), and every file
// the server writes — database, uploads, secret — private to its user even when started with
// umask 000. Embedded only: with DATABASE_URL the database is not in DATA_DIR and nothing is locked.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colourPictures, multipart, pictureFields } from '../fixtures/igemoji/helpers.js';
import { freePort, processEnv, startProcess } from '../process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** every path under dir (itself included) with its permission bits */
function modes(dir: string): Array<{ file: string; mode: number; dir: boolean }> {
  const out = [{ file: dir, mode: statSync(dir).mode & 0o777, dir: true }];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, name);
    const st = statSync(p);
    out.push({ file: path.relative(dir, p), mode: st.mode & 0o777, dir: st.isDirectory() });
  }
  return out;
}

/**
 * `serve` run until it exits — or until it answers on /readyz, which means it started next to the
 * owner (the failure this test is about): then it is killed and reported as 'started'.
 */
async function runToExit(env: Record<string, string>): Promise<{ code: number | null | 'started'; out: string }> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.REDIS_URL;
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...base, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  const started = (async () => {
    while (!done) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) return 'started' as const;
      await new Promise((r) => setTimeout(r, 200));
    }
    return undefined;
  })();
  const code: number | null | 'started' = await Promise.race<number | null | 'started'>([
    exited,
    started.then((s): Promise<number | null | 'started'> | 'started' => s ?? exited),
  ]);
  done = true;
  if (code === 'started') {
    child.kill('SIGKILL');
    await exited;
  }
  return { code, out };
}

describe('embedded DATA_DIR', () => {
  it('one owner: a second serve exits naming the owner; a kill -9 leaves a lock the next start takes over', async () => {
    const env = processEnv({ MADANG_APPS: 'auth' });
    const first = await startProcess('serve', env);

    const second = await runToExit(env);
    expect(second.code).toBe(3);
    expect(second.out.trim().split('\n')).toEqual([
      expect.stringContaining(`is in use by process ${first.child.pid}`),
    ]);
    // the owner kept answering
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);

    await first.stop('SIGKILL');
    const third = await startProcess('serve', env);
    expect((await fetch(`${third.url}/readyz`)).status).toBe(200);
    await third.stop();
  }, 180_000);

  it('files are private (dirs 0700, files 0600) after real uploads, even under umask 000', async () => {
    const env = processEnv({ MADANG_APPS: 'igemoji' });
    const umask = process.umask(0);
    let server;
    try {
      server = await startProcess('serve', env);
    } finally {
      process.umask(umask);
    }
    const email = 'private@example.com';
    const password = 'passw0rd!';
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect((await post('/api/v1/users/', { email, password, alias: 'private' })).status).toBe(201);
    const login = (await (await post('/api/v1/users/auth', { email, password })).json()) as { access_token: string };
    const mp = multipart({ name: '비밀', ...pictureFields(await colourPictures()) }, 'image/jpeg');
    const created = await fetch(`${server.url}/api/v1/emojis/`, {
      method: 'POST',
      headers: { ...mp.headers, authorization: login.access_token },
      body: new Uint8Array(mp.payload),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    await server.stop();

    const all = modes(env.DATA_DIR!);
    // what the test is about is there: the database, the uploaded pictures
    expect(all.some((f) => f.file.startsWith('pglite') && !f.dir)).toBe(true);
    expect(all.filter((f) => f.file.startsWith('uploads') && !f.dir).length).toBeGreaterThanOrEqual(7);
    const open = all.filter((f) => (f.dir ? f.mode !== 0o700 : (f.mode & 0o077) !== 0));
    expect(open.map((f) => `${f.file} ${f.mode.toString(8)}`)).toEqual([]);
  }, 180_000);
});
