import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          // Each file has its own database, queue prefix and index prefix, so files run in
          // parallel; two at a time suits the 2-core machines this runs on.
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // The leak scan reads what the runs before it captured: only when there is a capture
      // (scripts/test.sh sets TONGXIN_CAPTURE_DIR), and last.
      ...(process.env.TONGXIN_CAPTURE_DIR
        ? [
            {
              test: {
                name: 'leaks',
                sequence: { groupOrder: 3 },
                include: ['test/leaks/**/*.test.ts'],
                environment: 'node',
                globalSetup: ['test/integration/global-setup.ts'],
                testTimeout: 120_000,
              },
            },
          ]
        : []),
      {
        test: {
          name: 'e2e',
          // After the others: a browser and an API process are heavy on 2 cores.
          sequence: { groupOrder: 2 },
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Builds the console and starts one API process (own database) for all scenarios.
          globalSetup: ['test/e2e/global-setup.ts'],
          pool: 'forks',
          // One browser at a time; the scenarios within a file run in order, as a person would.
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
