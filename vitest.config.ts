import { defineConfig } from 'vitest/config';

// *.real.test.ts need PostgreSQL + Redis (several processes sharing one database and queue):
// they run in the real-services pass, where DATABASE_URL and REDIS_URL are set. The browser tests
// (test/e2e/web-*) drive a server on embedded defaults whatever the pass, so they run once, in
// the embedded pass.
const real = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

export default defineConfig({
  test: {
    teardownTimeout: 20_000,
    maxWorkers: 2, // the machine has 2 cores; both projects share them
    projects: [
      {
        test: {
          name: 'server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['node_modules/**', ...(real ? ['test/e2e/web-*.test.ts'] : ['**/*.real.test.ts'])],
          globalSetup: ['test/global-setup.ts'],
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      'web/vitest.config.ts',
    ],
  },
});
