import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: integration files start servers of their own, so run two files at a time.
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
  },
});
