// `madang import <app> --from <database-url> [--media <dir | s3://bucket/prefix>] [--dry-run] …`
// Exit codes: 0 done (every row imported, repaired or deliberately skipped), 1 rows failed or the
// run stopped (run it again to continue), 2 the command line or the configuration is wrong.
import { APPS, type AppName } from '../apps/registry.js';
import type { Config } from '../core/config.js';

const ALL_APPS = APPS.map((a) => a.name);
import { terminalProgress } from './progress.js';
import { ImportUsageError, MAX_BATCH, runImport, type ImportOptions } from './run.js';

export const IMPORT_USAGE = `usage: madang import <${ALL_APPS.join('|')}> --from <database-url> [options]

  --from <url>             the original's database: postgres://… (auth, machines, mealbuddy)
                           or mysql://… (zodiac, igemoji); read only
  --media <dir|s3://b/p>   the original's uploaded files (zodiac, igemoji): a folder or a bucket
  --media-endpoint <url>   S3-compatible endpoint for --media s3://… (path-style); credentials
                           come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
  --media-region <name>    region of the --media bucket (default us-east-1)
  --dry-run                print what would be imported, repaired and skipped; write nothing
  --batch-size <n>         original rows per transaction (1–${MAX_BATCH}, default 1000)
  --report <file>          also write the full report (every repaired and skipped row) as JSON

The target is madang's own database, as for \`madang serve\`: DATABASE_URL, or the embedded
database under DATA_DIR (stop the server first: an embedded database belongs to one process).
Files go to madang's storage (STORAGE_DRIVER). Running the same import again imports nothing twice
and continues an interrupted one.`;

export function parseImportArgs(args: string[]): ImportOptions {
  const [app, ...rest] = args;
  if (!app || !(ALL_APPS as readonly string[]).includes(app)) throw new ImportUsageError(app ? `unknown app "${app}"` : 'which app?');
  const o: ImportOptions = { app: app as AppName, from: '' };
  const mediaS3: NonNullable<ImportOptions['mediaS3']> = {};
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const value = () => {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new ImportUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--from':
        o.from = value();
        break;
      case '--media':
        o.media = value();
        break;
      case '--media-endpoint':
        mediaS3.endpoint = value();
        break;
      case '--media-region':
        mediaS3.region = value();
        break;
      case '--dry-run':
        o.dryRun = true;
        break;
      case '--batch-size': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH) throw new ImportUsageError(`--batch-size must be a whole number from 1 to ${MAX_BATCH}`);
        o.batchSize = n;
        break;
      }
      case '--report':
        o.reportFile = value();
        break;
      default:
        throw new ImportUsageError(`unknown option ${flag}`);
    }
  }
  if (!o.from) throw new ImportUsageError('--from <database-url> is required');
  if (mediaS3.endpoint || mediaS3.region) {
    if (!o.media?.startsWith('s3://')) throw new ImportUsageError('--media-endpoint and --media-region go with --media s3://…');
    o.mediaS3 = mediaS3;
  }
  return o;
}

/** runs the command; returns the exit code */
export async function importCommand(args: string[], config: Config): Promise<number> {
  let options: ImportOptions;
  try {
    options = parseImportArgs(args);
    const result = await runImport(config, { ...options, progress: terminalProgress(process.stderr) });
    process.stdout.write(`${result.report.summary()}\n`);
    if (result.alreadyInTarget === 'not-checked') {
      process.stdout.write('\nThe embedded target was not opened during the dry run: the counts assume nothing was imported before.\n');
    } else if (result.alreadyInTarget && Object.keys(result.alreadyInTarget).length) {
      const list = Object.entries(result.alreadyInTarget).map(([t, n]) => `${t} ${n}`).join(', ');
      process.stdout.write(`\nAlready imported into the target by an earlier run (left alone by a real run): ${list}\n`);
    }
    return result.exitCode;
  } catch (err) {
    if (err instanceof ImportUsageError) {
      process.stderr.write(`madang import: ${err.message}\n\n${IMPORT_USAGE}\n`);
      return 2;
    }
    throw err;
  }
}
