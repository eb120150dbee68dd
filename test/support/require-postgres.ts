/** vitest globalSetup for the PostgreSQL run: without a server it would silently test SQLite again. */
export default function requirePostgres() {
  if (!process.env.BATON_TEST_POSTGRES_URL)
    throw new Error(
      'BATON_TEST_POSTGRES_URL is not set: start a server with `source .ci/postgres.sh && start_test_postgres`',
    );
}
