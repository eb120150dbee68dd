import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { LiteralLimitsCompiler } from './literal-limits.js';

interface Tables {
  t: { n: number };
}

class Dialect extends SqliteDialect {
  override createQueryCompiler() {
    return new LiteralLimitsCompiler();
  }
}

describe('LiteralLimitsCompiler', () => {
  const sqlite = new SQLite(':memory:');
  sqlite.exec('create table t (n integer); insert into t values (1), (2), (3), (4)');
  const db = new Kysely<Tables>({ dialect: new Dialect({ database: sqlite }) });

  it('writes whole, non-negative limits and offsets into the SQL, and the query returns the same rows', async () => {
    const query = db.selectFrom('t').select('n').where('n', '>', 1).orderBy('n').limit(2).offset(1);
    const compiled = query.compile();
    expect(compiled.sql).toBe('select "n" from "t" where "n" > ? order by "n" limit 2 offset 1');
    expect(compiled.parameters).toEqual([1]);
    expect(await query.execute()).toEqual([{ n: 3 }, { n: 4 }]);
  });

  it('keeps anything else a bound parameter: fractions, negatives, numbers past 2^53, NaN', () => {
    for (const value of [1.5, -1, 2 ** 53, Number.NaN]) {
      const compiled = db.selectFrom('t').select('n').limit(value).compile();
      expect(compiled.sql).toBe('select "n" from "t" limit ?');
      expect(compiled.parameters).toEqual([value]);
    }
  });
});
