import { type Compilable, type CompiledQuery, createQueryId } from 'kysely';
import type { Db } from './database.js';
import { type Dialect, dialectOf } from './dialect.js';

/**
 * A query built and compiled once per SQL dialect, then run with each call's values: for the reads on
 * the hottest paths (a stream opening, a message stored). Building and compiling a kysely query costs
 * more than SQLite takes to run a primary-key read; its frozen nodes also keep the collector busy. In
 * reconnect storms of 10,000 streams, the two reads of a stream's opening compiled once made Baton's
 * storm about 17% shorter, interleaved with the code before (docs/performance.md).
 *
 * The query must have one shape whatever its arguments: `build` may not branch on them, and each
 * argument must reach the SQL as a bound parameter, once, in the order given. A limit is better kept
 * out of the arguments: SQLite runs `limit ?` about 10 µs slower than a written number
 * (literal-limits.ts), so a query per page size, its size written with `sql.lit`, is the faster shape.
 * The first call checks that its values are the compiled parameters in order and throws if not, so a
 * query that breaks the rule fails its first test. It compares values, not positions (two arguments
 * with equal values in that first call cannot be told apart), and only for the dialect that runs
 * first: the PostgreSQL suite runs these queries too.
 *
 * One compiled query per dialect, the same for every database of that dialect, so the cache cannot grow
 * or mix databases, and it may live as long as the function it belongs to. It holds no connection. Its
 * query tree and parameters are those of the first call (an id, a time, a Slack ts: no customer text
 * reaches these queries); each run replaces the parameters, so no later result depends on them.
 */
export function preparedQuery<Args extends readonly unknown[], Row>(
  build: (db: Db, ...args: Args) => Compilable<Row>,
): (db: Db, ...args: Args) => Promise<Row[]> {
  const compiled = new Map<Dialect, CompiledQuery<Row>>();
  return async (db, ...args) => {
    const dialect = dialectOf(db);
    let query = compiled.get(dialect);
    if (!query) {
      query = build(db, ...args).compile();
      if (!sameValues(query.parameters, args))
        throw new Error(
          `preparedQuery: the compiled parameters (${query.parameters.length}) are not the arguments (${args.length}) in order: ${query.sql}`,
        );
      compiled.set(dialect, query);
    }
    // A fresh id per run: kysely and its plugins key per-run state by it.
    const result = await db.executeQuery<Row>({ ...query, parameters: args, queryId: createQueryId() });
    return result.rows;
  };
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}
