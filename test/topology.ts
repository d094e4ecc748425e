// The deploy/ topology run natively: nginx (with the repo's nginx.conf, upstreams pointed at
// local ports) → N API processes → one fresh PostgreSQL database + Redis, and M worker processes.
// With `s3`, uploads go to an S3-compatible server (s3rver) on loopback instead of the disk, and
// every process gets a data directory of its own, so only the bucket is shared.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { scratchDatabase } from './databases.js';
import { freePort, processEnv, running, startProcess, stopProcess, type Proc } from './spawn.js';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface Topology {
  url: string;
  apis: Proc[];
  workers: Proc[];
  env: Record<string, string>;
  nginx: ChildProcess;
  /** the bucket every process writes to, when started with `s3` */
  s3?: { client: S3Client; bucket: string; endpoint: string };
  stop(): Promise<void>;
}

const S3_BUCKET = 'madang-topology';
const S3_KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** s3rver on loopback with the bucket already created: processes start against a ready store */
async function startS3(): Promise<{ server: S3rver; client: S3Client; endpoint: string; env: Record<string, string> }> {
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: mkdtempSync(path.join(tmpdir(), 's3rver-topo-')) });
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: S3_KEYS });
  await client.send(new CreateBucketCommand({ Bucket: S3_BUCKET }));
  const env = {
    STORAGE_DRIVER: 's3',
    S3_BUCKET,
    S3_ENDPOINT: endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: S3_KEYS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3_KEYS.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  };
  return { server, client, endpoint, env };
}

export async function startTopology(
  services: { DATABASE_URL: string; REDIS_URL: string },
  opts: { apis?: number; workers?: number; env?: Record<string, string>; s3?: boolean } = {},
): Promise<Topology> {
  const s3 = opts.s3 ? await startS3() : undefined;
  const database = await scratchDatabase(services.DATABASE_URL, `madang_topo_${process.pid}_${Date.now() % 100000}`);
  const env = processEnv({
    DATABASE_URL: database.url,
    REDIS_URL: services.REDIS_URL,
    TRUST_PROXY: '1', // as deploy/compose.yaml: nginx is the one trusted hop
    CONNECTIONS_PER_IP: '0',
    ...s3?.env,
    ...opts.env,
  });
  // with a shared bucket nothing may depend on a shared disk: a data directory per process
  const own = () => (s3 ? { ...env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'madang-proc-')) } : env);
  // the first API migrates; the rest start in parallel
  const apis = [await startProcess('serve', own())];
  apis.push(...(await Promise.all(Array.from({ length: (opts.apis ?? 2) - 1 }, () => startProcess('serve', own())))));
  const workers = await Promise.all(Array.from({ length: opts.workers ?? 2 }, () => startProcess('worker', own(), false)));

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
    ...(s3 ? { s3: { client: s3.client, bucket: S3_BUCKET, endpoint: s3.endpoint } } : {}),
    async stop() {
      await stopProcess(nginx, 'SIGQUIT');
      await Promise.all([...apis, ...workers].map((p) => p.stop('SIGKILL')));
      await database.drop().catch(() => undefined);
      s3?.client.destroy();
      await s3?.server.close();
    },
  };
}
