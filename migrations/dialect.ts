import { type Kysely, PostgresAdapter } from 'kysely';

/**
 * Frozen in time with the migrations. A statement that rewrites rows left by an older Baton runs on
 * SQLite only: PostgreSQL came after those migrations, so a PostgreSQL database never holds such rows.
 */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
