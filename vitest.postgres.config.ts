import { defineConfig } from 'vitest/config';

/**
 * The integration suite again, on PostgreSQL: every harness gets its own database on the server that
 * BATON_TEST_POSTGRES_URL names (.ci/postgres.sh starts one). Tests that name a SQLite file keep it.
 * `npm run test:postgres` runs the fleet tests after it, one file at a time: they time live updates, and
 * three Baton processes beside another test file would measure the machine's load instead.
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
