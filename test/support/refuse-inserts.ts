import { sql } from 'kysely';
import type { Db } from '../../src/storage/database.js';
import { dialectOf } from '../../src/storage/dialect.js';

/**
 * Makes the database refuse every insert into `table` (as a full disk would), on either dialect, until
 * the returned function is called.
 */
export async function refuseInserts(db: Db, table: string): Promise<() => Promise<void>> {
  const name = sql.id(`refuse_${table}`);
  if (dialectOf(db) === 'sqlite') {
    await sql`create trigger ${name} before insert on ${sql.table(table)} begin select raise(abort, 'disk full'); end`.execute(
      db,
    );
    return async () => void (await sql`drop trigger ${name}`.execute(db));
  }
  await sql`create function ${name}() returns trigger language plpgsql as $$
    begin raise exception 'disk full'; end $$`.execute(db);
  await sql`create trigger ${name} before insert on ${sql.table(table)} for each row execute function ${name}()`.execute(
    db,
  );
  return async () => {
    await sql`drop trigger ${name} on ${sql.table(table)}`.execute(db);
    await sql`drop function ${name}()`.execute(db);
  };
}
