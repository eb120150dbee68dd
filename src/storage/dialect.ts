import { type Kysely, PostgresAdapter } from 'kysely';

/** Which SQL the database speaks. The few statements that differ branch on this and nothing else. */
export type Dialect = 'sqlite' | 'postgres';

export function dialectOf<DB>(db: Kysely<DB>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
