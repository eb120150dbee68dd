import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createGroupCommit } from './group-commit.js';
import type { Database } from './tables.js';
import type { OpenedDatabase } from './database.js';

/** pg's type ids for the integer kinds it would otherwise hand back as strings. */
const INT8 = 20;
const NUMERIC = 1700;

/**
 * Baton's integers (sequence numbers, millisecond times, counts) are far below 2^53, so bigint and
 * count(*) come back as numbers, as they do from SQLite. Set on this pool's connections only, not on
 * pg's global parser table.
 */
const numbersAsNumbers: pg.CustomTypesConfig = {
  getTypeParser: ((id: number, format?: string) =>
    id === INT8 || id === NUMERIC
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(id, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresOptions {
  /** Connections per instance; each instance of a fleet has its own pool. */
  poolSize?: number;
  /** A name PostgreSQL shows in pg_stat_activity, so an operator can tell instances apart. */
  applicationName?: string;
}

/** PostgreSQL through kysely's dialect and a pg pool: the same repositories and migrations as SQLite. */
export function openPostgres(url: string, opts: PostgresOptions = {}): OpenedDatabase & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    application_name: opts.applicationName ?? 'baton',
    types: numbersAsNumbers,
    // A connection that cannot be made within this fails the request (503) rather than hanging it.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server dropped (a restart, a failover) must not crash the process: pg
  // reports it here, and the pool makes a new one on the next query.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    pool,
    transact: createGroupCommit(db),
    ping: async () => {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}
