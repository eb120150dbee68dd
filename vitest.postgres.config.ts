import { defineConfig } from 'vitest/config';

/**
 * The integration suite again, on PostgreSQL: every harness gets its own database on the server that
 * BATON_TEST_POSTGRES_URL names (.ci/postgres.sh starts one). Tests that name a SQLite file keep it.
 */
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts', 'test/fleet/**/*.test.ts'],
    globalSetup: ['test/support/require-postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
