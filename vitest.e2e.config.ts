import { defineConfig } from 'vitest/config';

/** End-to-end tests: the browser host driven through Debian's Chromium (npm run test:e2e). */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
