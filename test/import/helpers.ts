// Helpers for the import tests: scratch databases for the originals (PostgreSQL and MariaDB),
// password hashes formatted as Django and the originals wrote them, a madang target config, and
// madang itself served in-process on the imported database (as test/harness.ts does).
import { spawn, type ChildProcess } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import bcrypt from 'bcryptjs';
import type { FastifyInstance } from 'fastify';
import mysql from 'mysql2/promise';
import pg from 'pg';
import S3rver from 's3rver';
import { afterAll } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createContainer, type Container } from '../../src/container.js';
import { loadSettings, type AppName } from '../../src/apps/registry.js';
import type { Config } from '../../src/core/config.js';
import { scratchDatabase } from '../databases.js';
import { inProcessEnv } from '../spawn.js';

export const MARIADB_URL = 'mysql://root@127.0.0.1:3306';
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Django's PBKDF2PasswordHasher: pbkdf2_sha256$<iterations>$<salt>$<base64 sha256 digest> */
export function djangoPbkdf2(password: string, iterations = 1_000_000): string {
  const salt = Array.from(randomBytes(22), (b) => SALT_CHARS[b % SALT_CHARS.length]).join('');
  const digest = pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64');
  return `pbkdf2_sha256$${iterations}$${salt}$${digest}`;
}

/** Django's BCryptPasswordHasher: "bcrypt$" + the bcrypt hash */
export function djangoBcrypt(password: string, cost = 12): string {
  return `bcrypt$${bcrypt.hashSync(password, cost)}`;
}

/** bcrypt.hashpw as zodiac and igemoji called it: the $2b$ hash, stored as BINARY(60) bytes */
export function rawBcrypt(password: string, cost = 12): Buffer {
  return Buffer.from(bcrypt.hashSync(password, cost));
}

export const unique = (prefix: string) => `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;

/** a scratch PostgreSQL database for an original, dropped after the file */
export async function pgOriginal(name: string): Promise<{ url: string; sql: (text: string, params?: unknown[]) => Promise<pg.QueryResult> }> {
  const db = await scratchDatabase(process.env.DATABASE_URL!, name);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  cleanups.push(async () => {
    await client.end();
    await db.drop();
  });
  return { url: db.url, sql: (text, params) => client.query(text, params) };
}

/** a scratch MariaDB database for an original, dropped after the file */
export async function mysqlOriginal(name: string): Promise<{ url: string; sql: (text: string, params?: unknown[]) => Promise<unknown> }> {
  const admin = await mysql.createConnection({ uri: MARIADB_URL, multipleStatements: true });
  await admin.query(`drop database if exists \`${name}\``);
  await admin.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  await admin.end();
  const url = `${MARIADB_URL}/${name}`;
  const conn = await mysql.createConnection({ uri: url, timezone: 'Z', multipleStatements: true, charset: 'utf8mb4' });
  cleanups.push(async () => {
    await conn.query(`drop database if exists \`${name}\``);
    await conn.end();
  });
  return { url, sql: async (text, params) => (await conn.query(text, params))[0] };
}

/** a PostgreSQL target database, dropped after the file */
export async function pgTarget(name: string): Promise<string> {
  const db = await scratchDatabase(process.env.DATABASE_URL!, name);
  cleanups.push(db.drop);
  return db.url;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `${prefix}-`));
}

/** madang's configuration for the target: PostgreSQL when `databaseUrl`, else embedded in dataDir */
export function targetEnv(app: AppName, dataDir: string, databaseUrl?: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...inProcessEnv(dataDir),
    MADANG_APPS: app,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...extra,
  };
}

export function targetConfig(app: AppName, dataDir: string, databaseUrl?: string, extra?: Record<string, string>): Config {
  return loadSettings(targetEnv(app, dataDir, databaseUrl, extra));
}

export interface Served {
  app: FastifyInstance;
  container: Container;
  close(): Promise<void>;
}

/** madang on the imported database, in this process; the app alone, so at the original's paths */
export async function serve(config: Config): Promise<Served> {
  const container = await createContainer(config);
  const app = await buildApp(container);
  await app.ready();
  await container.core.queue.startWorkers();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await container.close();
  };
  cleanups.push(close);
  return { app, container, close };
}

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliRun {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** `madang import …` through the package's bin, as an operator runs it */
export function startCli(args: string[], env: Record<string, string>): CliRun {
  const base = { ...process.env };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete base[k];
  const child = spawn(process.execPath, ['bin/madang.js', ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

export function runCli(args: string[], env: Record<string, string>) {
  return startCli(args, env).exited;
}

export interface S3Media {
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  put(key: string, body: Buffer): Promise<void>;
}

/** an S3-compatible bucket (s3rver on loopback) holding an original's files */
export async function s3Media(bucket: string): Promise<S3Media> {
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver-import') });
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  cleanups.push(async () => {
    client.destroy();
    await server.close();
  });
  return {
    endpoint,
    bucket,
    credentials,
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
  };
}
