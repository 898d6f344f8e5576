import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: fault injection (issue 11), on demand — a few minutes of stopping Redis,
 * the search engine, the worker and the MongoDB-compatible server. Each file brings its own
 * private Redis / LocalMongo (H2 file backend) where it stops one; one file at a time, since they measure recovery.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/integration/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
