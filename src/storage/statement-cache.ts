import type { Database as SQLiteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';
import { LRUCache } from 'lru-cache';

/** Distinct SQL texts kept prepared; queries with `in (?, ?, …)` lists make some variety, the rest is fixed. */
const MAX_STATEMENTS = 500;

/**
 * Hands kysely a prepared statement per distinct SQL text instead of preparing every query again
 * (SQLite's parser and planner ran for each of the ~20 statements per customer message). Least recently
 * used texts are dropped past the cap. Streaming (`iterate`) would make a statement busy while a
 * caller holds it, so a busy statement is never handed out twice: a fresh one is prepared instead.
 */
export function withStatementCache(sqlite: SQLiteDatabase, max = MAX_STATEMENTS): SqliteDatabase {
  const cache = new LRUCache<string, Statement>({ max });
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      cache.set(sql, statement);
      return statement;
    },
  };
}
