// One import: open the original's database (and media), open madang's database through the same
// container the server uses (embedded PGlite under DATA_DIR, or DATABASE_URL), run the app's
// importer, keep the summary. A dry run imports into a throw-away in-memory database with a
// storage that keeps nothing, so it reports exactly what a real run would do and touches nothing.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { createContainer, type Container } from '../container.js';
import type { AppName } from '../apps/registry.js';
import type { Config } from '../core/config.js';
import { openDatabase, rowsOf } from '../core/db/client.js';
import { migrateAll } from '../core/db/migrate.js';
import { newKey, type BlobStore } from '../core/storage/storage.js';
import { importAuth } from './apps/auth.js';
import { importIgemoji } from './apps/igemoji.js';
import { importMachines } from './apps/machines.js';
import { importMealbuddy } from './apps/mealbuddy.js';
import { importZodiac } from './apps/zodiac.js';
import { Engine, errorText } from './engine.js';
import { importRuns } from './import.table.js';
import { openMedia, type MediaSource, type S3MediaOptions } from './media.js';
import { silentProgress, type Progress } from './progress.js';
import { Report } from './report.js';
import { dialectOf, openSource, redactUrl, type Dialect, type Source } from './source.js';

export const IMPORTERS: Record<AppName, (e: Engine) => Promise<void>> = {
  auth: importAuth,
  machines: importMachines,
  mealbuddy: importMealbuddy,
  zodiac: importZodiac,
  igemoji: importIgemoji,
};

/** the database each original ran on (spec data models) */
export const ORIGINAL_DIALECT: Record<AppName, Dialect> = {
  auth: 'postgres',
  machines: 'postgres',
  mealbuddy: 'postgres',
  zodiac: 'mysql',
  igemoji: 'mysql',
};

export const MAX_BATCH = 5000;

export interface ImportOptions {
  app: AppName;
  from: string;
  /** a folder or s3://bucket/prefix holding the original's files */
  media?: string;
  mediaS3?: Omit<S3MediaOptions, 'url'>;
  dryRun?: boolean;
  batchSize?: number;
  /** where to write the full JSON report */
  reportFile?: string;
  progress?: Progress;
}

export interface ImportResult {
  report: Report;
  /** 0 everything read was imported, repaired or deliberately skipped; 1 something failed */
  exitCode: number;
  /** dry run: rows of each original table a previous run already imported into the real target */
  alreadyInTarget?: Record<string, number> | 'not-checked';
}

export class ImportUsageError extends Error {}

export async function runImport(config: Config, o: ImportOptions): Promise<ImportResult> {
  if (dialectOf(o.from) !== ORIGINAL_DIALECT[o.app]) {
    throw new ImportUsageError(`${o.app}'s original ran on ${ORIGINAL_DIALECT[o.app] === 'mysql' ? 'MySQL' : 'PostgreSQL'}: --from must be a ${ORIGINAL_DIALECT[o.app] === 'mysql' ? 'mysql://' : 'postgres://'} URL`);
  }
  const batchSize = Math.min(MAX_BATCH, Math.max(1, Math.floor(o.batchSize ?? 1000)));
  const report = new Report(o.app, redactUrl(o.from), Boolean(o.dryRun));
  if (o.media && !o.media.startsWith('s3://') && !existsSync(o.media)) throw new ImportUsageError(`--media: no folder ${o.media}`);
  let media: MediaSource | undefined;
  try {
    media = openMedia(o.media, o.mediaS3);
  } catch (err) {
    throw new ImportUsageError(err instanceof Error ? err.message : String(err));
  }
  let source: Source | undefined;
  let container: Container | undefined;
  let scratch: string | undefined;
  let runId: number | undefined;
  try {
    source = await openSource(o.from);
    let target = config;
    if (o.dryRun) {
      scratch = mkdtempSync(path.join(tmpdir(), 'madang-import-dry-'));
      target = { ...config, DATABASE_URL: 'memory:', DATA_DIR: scratch, JWT_SECRET: randomBytes(32).toString('hex'), STORAGE_DRIVER: 'local' };
    }
    // this process serves nothing: no Redis, only the app being imported
    target = { ...target, REDIS_URL: undefined, MADANG_APPS: [o.app], runWorkersInProcess: false };
    container = await createContainer(target, { logger: pino({ level: 'warn' }, process.stderr) });
    await migrateAll(container.core.database, ['import']);
    const db = container.core.db;
    if (!o.dryRun) {
      const [run] = await db.insert(importRuns).values({ app: o.app, source: report.source }).returning({ id: importRuns.id });
      runId = run?.id;
    }
    const engine = new Engine({
      app: o.app,
      db,
      source,
      media,
      storage: o.dryRun ? new DiscardStore() : container.core.storage,
      report,
      progress: o.progress ?? silentProgress,
      batchSize,
      now: new Date(),
    });
    await IMPORTERS[o.app](engine);
  } catch (err) {
    if (err instanceof ImportUsageError) throw err;
    report.error = errorText(err);
  } finally {
    if (runId !== undefined && container) {
      await container.core.db
        .update(importRuns)
        .set({ status: report.anyFailed ? 'failed' : 'done', finishedAt: new Date(), summary: report.toJson() })
        .where(eq(importRuns.id, runId))
        .catch(() => undefined);
    }
    await container?.close().catch(() => undefined);
    await source?.close();
    await media?.close?.();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  if (o.reportFile) writeFileSync(o.reportFile, JSON.stringify(report.toJson(), null, 2));
  const alreadyInTarget = o.dryRun ? await importedInTarget(config, o.app) : undefined;
  return { report, exitCode: report.anyFailed ? 1 : 0, alreadyInTarget };
}

/**
 * For a dry run against PostgreSQL: what earlier runs imported already, read-only. An embedded
 * target is not opened (the server may hold it; PGlite is one process's).
 */
async function importedInTarget(config: Config, app: AppName): Promise<Record<string, number> | 'not-checked'> {
  if (!config.DATABASE_URL || !/^postgres(ql)?:\/\//.test(config.DATABASE_URL)) return 'not-checked';
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: tmpdir(), poolMax: 1 });
  try {
    const exists = rowsOf<{ ok: boolean }>(await database.db.execute(sql`select to_regclass('import_ids') is not null as ok`));
    if (!exists[0]?.ok) return {};
    const rows = rowsOf<{ t: string; n: number }>(
      await database.db.execute(sql`select source_table as t, count(*)::int as n from import_ids where app = ${app} group by source_table`),
    );
    return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
  } finally {
    await database.close();
  }
}

/** a dry run's storage: keys as a real store would make them, bytes kept nowhere */
class DiscardStore implements BlobStore {
  constructor(private readonly namespace = 'blobs') {}
  async put(_data: Buffer, ext: string): Promise<string> {
    return newKey(this.namespace, ext);
  }
  async get(): Promise<Buffer | null> {
    return null;
  }
  async delete(): Promise<void> {}
  scoped(namespace: string): BlobStore {
    return new DiscardStore(namespace);
  }
}
