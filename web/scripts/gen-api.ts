// `npm run web:api`: builds the whole API in-process (every app, in-memory database), takes its
// OpenAPI document and writes web/src/api/schema.d.ts. The output is committed, so building the
// front end never needs a running server; test/openapi-types.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { createContainer } from '../../src/container.js';
import { loadConfig } from '../../src/core/config.js';
import { apiTypes } from './api-types.js';

const OUT = path.resolve(import.meta.dirname, '../src/api/schema.d.ts');

async function main(): Promise<void> {
  const config = loadConfig({
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
    writeFileSync(OUT, await apiTypes(doc));
    await app.close();
    process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)} (${Object.keys((doc as { paths?: object }).paths ?? {}).length} paths)\n`);
  } finally {
    await container.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
