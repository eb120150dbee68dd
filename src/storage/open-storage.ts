import { type OpenedDatabase, openDatabase } from './database.js';
import { openPostgres } from './postgres.js';

export interface StorageTarget {
  DATABASE_URL?: string | undefined;
  DATABASE_PATH: string;
  DATABASE_POOL_SIZE: number;
  SQLITE_SYNCHRONOUS: 'full' | 'normal';
}

/** PostgreSQL when DATABASE_URL is set, else the embedded SQLite file. */
export function openStorage(target: StorageTarget, instanceName?: string): OpenedDatabase {
  if (target.DATABASE_URL)
    return openPostgres(target.DATABASE_URL, {
      poolSize: target.DATABASE_POOL_SIZE,
      ...(instanceName ? { applicationName: instanceName } : {}),
    });
  return openDatabase(target.DATABASE_PATH, { synchronous: target.SQLITE_SYNCHRONOUS });
}

/** Where the data lives, for logs and errors: never the URL itself, which may carry a password. */
export function describeStorage(target: StorageTarget): string {
  if (!target.DATABASE_URL) return `SQLite at ${target.DATABASE_PATH}`;
  const url = new URL(target.DATABASE_URL);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}
