import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type Driver,
  Kysely,
  type MigrationResultSet,
  Migrator,
  type QueryCompiler,
  SqliteDialect,
} from 'kysely';
import { migrations } from '../../migrations/index.js';
import { type Dialect, dialectOf } from './dialect.js';
import { createGroupCommit, type Transact } from './group-commit.js';
import { LiteralLimitsCompiler } from './literal-limits.js';
import { PortableSchemaPlugin } from './portable-schema.js';
import { withStatementCache } from './statement-cache.js';
import type { Database } from './tables.js';

export type Db = Kysely<Database>;

export class StorageError extends Error {
  constructor(
    readonly code: 'storage_unusable' | 'migration_failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface OpenedDatabase {
  db: Db;
  dialect: Dialect;
  /** A transaction whose commit may be shared with others queued at the same moment (group commit). */
  transact: Transact;
  /** Cheap liveness probe for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * How long a statement waits for another writer's lock. better-sqlite3 waits synchronously, so this
 * is also how long the whole server can stall on a lock: kept short. A write that still finds the
 * lock taken fails with SQLITE_BUSY, which callers retry (the Slack inbox and outbox) or answer with
 * 503 and Retry-After (the chat API).
 */
export const BUSY_TIMEOUT_MS = 250;

/**
 * Transactions start with BEGIN IMMEDIATE: the write lock is taken (or waited for, within the busy
 * timeout) at the start. A DEFERRED transaction that reads first and writes later cannot wait for a
 * lock at its first write, so SQLite fails it at once whatever the busy timeout. Limits and offsets are
 * compiled as numbers, not parameters (literal-limits.ts).
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }

  override createQueryCompiler(): QueryCompiler {
    return new LiteralLimitsCompiler();
  }
}

/**
 * Opens SQLite with the pragmas Baton relies on and refuses to run on a file where
 * WAL cannot be enabled or the integrity check fails (a half-copied or corrupt file).
 */
export function openDatabase(
  filePath: string,
  opts: { synchronous?: 'full' | 'normal' } = {},
): OpenedDatabase {
  const inMemory = filePath === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const sqlite = new SQLite(filePath);
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  if (!inMemory) {
    const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') {
      sqlite.close();
      throw new StorageError(
        'storage_unusable',
        `SQLite at ${filePath} refused WAL mode (got ${String(mode)})`,
      );
    }
    // FULL by default: each commit waits for the disk, so an acknowledged message survives power loss.
    sqlite.pragma(`synchronous = ${opts.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    const check = sqlite.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      sqlite.close();
      throw new StorageError(
        'storage_unusable',
        `SQLite quick_check failed for ${filePath}: ${String(check)}`,
      );
    }
  }
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    db,
    dialect: 'sqlite',
    transact: createGroupCommit(db),
    ping: async () => sqlite.open && sqlite.prepare('select 1 as ok').get() !== undefined,
    close: () => db.destroy(),
  };
}

/** Runs every pending migration; throws naming the migration that failed. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  // The migrations declare SQLite's column types; PostgreSQL gets the types that mean the same there.
  const target = dialectOf(db) === 'postgres' ? db.withPlugin(new PortableSchemaPlugin()) : db;
  const migrator = new Migrator({ db: target, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new StorageError('migration_failed', `Migration ${failed?.migrationName ?? '(unknown)'} failed`, {
      cause: result.error,
    });
  }
  return result;
}
