import type { Db } from './database.js';

/** Rows of a work queue (inbox, outbox) in one state: pending, parked, failed. */
export async function countByState(
  db: Db,
  table: 'slack_inbox' | 'slack_outbox',
  state: string,
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', state)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
