import { defineConfig } from 'vitest/config';

/** Headless-Chromium tests (`npm run test:browser`); they need /usr/bin/chromium or CHROMIUM_PATH. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
