// The deploy/ topology run natively: nginx (with the repo's nginx.conf, upstreams pointed at
// local ports) → N API processes → one fresh PostgreSQL database + Redis, and M worker processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/core/db/client.js';
import { withDatabase } from './databases.js';
import { freePort, processEnv, running, startProcess, stopProcess, type Proc } from './spawn.js';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface Topology {
  url: string;
  apis: Proc[];
  workers: Proc[];
  env: Record<string, string>;
  nginx: ChildProcess;
  stop(): Promise<void>;
}

export async function startTopology(
  services: { DATABASE_URL: string; REDIS_URL: string },
  opts: { apis?: number; workers?: number; env?: Record<string, string> } = {},
): Promise<Topology> {
  const dbName = `madang_topo_${process.pid}_${Date.now() % 100000}`;
  const admin = await openDatabase({ url: services.DATABASE_URL, dataDir: tmpdir(), poolMax: 1 });
  await admin.db.execute(sql.raw(`create database ${dbName}`));
  const env = processEnv({
    DATABASE_URL: withDatabase(services.DATABASE_URL, dbName),
    REDIS_URL: services.REDIS_URL,
    TRUST_PROXY: 'true',
    ...opts.env,
  });
  // the first API migrates; the rest start in parallel
  const apis = [await startProcess('serve', env)];
  apis.push(...(await Promise.all(Array.from({ length: (opts.apis ?? 2) - 1 }, () => startProcess('serve', env)))));
  const workers = await Promise.all(Array.from({ length: opts.workers ?? 2 }, () => startProcess('worker', env, false)));

  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'nginx-madang-'));
  const conf = readFileSync(path.join(ROOT, 'deploy', 'nginx', 'nginx.conf'), 'utf8')
    .replace(/server api1:8000[^;]*;\s*server api2:8000[^;]*;/, apis.map((a) => `server 127.0.0.1:${a.port} max_fails=1 fail_timeout=2s;`).join('\n    '))
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    .replaceAll('/tmp/nginx-madang', `${dir}/nginx`);
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const nginx = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: 'ignore' });
  running.add(nginx);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // nginx not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    apis,
    workers,
    env,
    nginx,
    async stop() {
      await stopProcess(nginx, 'SIGQUIT');
      await Promise.all([...apis, ...workers].map((p) => p.stop('SIGKILL')));
      await admin.db.execute(sql.raw(`drop database if exists ${dbName} with (force)`)).catch(() => undefined);
      await admin.close();
    },
  };
}
