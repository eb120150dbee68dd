import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  it('prepares each SQL text once, keeps the most recently used within the cap, and never shares a busy statement', () => {
    const sqlite = new SQLite(':memory:');
    let prepared = 0;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((sql: string) => {
      prepared += 1;
      return prepare(sql);
    }) as typeof sqlite.prepare;
    const db = withStatementCache(sqlite, 2);
    db.prepare('create table t (n integer)').run([]);
    const insert = db.prepare('insert into t values (?)');
    expect(db.prepare('insert into t values (?)')).toBe(insert);
    for (const n of [1, 2, 3]) db.prepare('insert into t values (?)').run([n]);
    expect(prepared).toBe(2);
    // Over the cap of two: the least recently used text (the create) is dropped, the insert kept.
    db.prepare('select n from t order by n');
    expect(db.prepare('insert into t values (?)')).toBe(insert);
    db.prepare('create table u (n integer)');
    expect(prepared).toBe(4);
    // A statement being iterated is busy: asking for the same text again gets another statement.
    const select = db.prepare('select n from t order by n');
    const rows = select.iterate([]);
    rows.next();
    const again = db.prepare('select n from t order by n');
    expect(again).not.toBe(select);
    expect(again.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    rows.return?.();
    sqlite.close();
  });
});
