import { defineConfig } from 'vitest/config';

// *.real.test.ts need PostgreSQL + Redis (several processes sharing one database and queue):
// they run in the real-services pass, where DATABASE_URL and REDIS_URL are set.
const real = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', ...(real ? [] : ['**/*.real.test.ts'])],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
