// `npm run web:api`: builds the whole API in-process (every app, in-memory database), takes its
// OpenAPI document and writes web/src/api/schema.d.ts. The file is generated, not committed:
// `npm run typecheck` runs this before checking the front end, so the SPA is always typed against
// the API as it is now. It is rewritten only when its content changes (web/dist's staleness check
// reads the mtimes under web/src).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { createContainer } from '../../src/container.js';
import { loadSettings } from '../../src/apps/registry.js';
import { apiTypes } from './api-types.js';

const OUT = path.resolve(import.meta.dirname, '../src/api/schema.d.ts');

async function main(): Promise<void> {
  const config = loadSettings({
    DATABASE_URL: 'memory:',
    DATA_DIR: path.join(tmpdir(), 'madang-openapi-gen'),
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'openapi-generation-only-secret-0123456789',
    RUN_WORKERS: 'false',
  });
  const container = await createContainer(config);
  try {
    const app = await buildApp(container);
    await app.ready();
    const doc = app.swagger();
    const types = await apiTypes(doc);
    const changed = !existsSync(OUT) || readFileSync(OUT, 'utf8') !== types;
    if (changed) writeFileSync(OUT, types);
    await app.close();
    const paths = Object.keys((doc as { paths?: object }).paths ?? {}).length;
    process.stdout.write(`${changed ? 'wrote' : 'unchanged'} ${path.relative(process.cwd(), OUT)} (${paths} paths)\n`);
  } finally {
    await container.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
