import { defineConfig } from 'vitest/config';

/** Headless Chromium tests: slower, so kept out of `npm test` and run by `npm run test:browser` (CI runs both). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
