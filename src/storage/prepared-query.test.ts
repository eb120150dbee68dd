import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { insertConversation } from '../conversation/conversation-repository.js';
import { type Db, migrateToLatest, type OpenedDatabase, openDatabase } from './database.js';
import { preparedQuery } from './prepared-query.js';

const NOW = '2026-12-03T08:00:00.000Z';
let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

async function withConversations(ids: string[]): Promise<Db> {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  for (const id of ids)
    await insertConversation(opened.db, {
      id,
      tokenHash: `hash-${id}`,
      customer: {},
      metadata: {},
      now: NOW,
    });
  return opened.db;
}

describe('preparedQuery', () => {
  it('builds the query once and runs it with each call’s values, in a transaction too', async () => {
    const db = await withConversations(['c1', 'c2', 'c3']);
    let builds = 0;
    const idsAfter = preparedQuery((d: Db, after: string, limit: number) => {
      builds += 1;
      return d
        .selectFrom('conversations')
        .select('id')
        .where('id', '>', after)
        .orderBy('id')
        .limit(sql.val(limit));
    });
    expect(await idsAfter(db, 'c1', 1)).toEqual([{ id: 'c2' }]);
    expect(await idsAfter(db, 'c0', 5)).toEqual([{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }]);
    const inTransaction = await db.transaction().execute((trx) => idsAfter(trx, 'c2', 5));
    expect(inTransaction).toEqual([{ id: 'c3' }]);
    expect(builds).toBe(1);
  });

  it('refuses a query whose parameters are not its arguments in order, naming its SQL', async () => {
    const db = await withConversations(['c1']);
    // Baton's SQLite compiler writes a plain limit into the SQL text (literal-limits.ts): it would never change.
    const inlinedLimit = preparedQuery((d: Db, id: string, limit: number) =>
      d.selectFrom('conversations').select('id').where('id', '=', id).limit(limit),
    );
    await expect(inlinedLimit(db, 'c1', 1)).rejects.toThrow(
      /compiled parameters \(1\) are not the arguments \(2\) in order: select "id" from "conversations"/,
    );
    const swapped = preparedQuery((d: Db, first: string, second: string) =>
      d.selectFrom('conversations').select('id').where('id', '=', second).where('token_hash', '=', first),
    );
    await expect(swapped(db, 'hash-c1', 'c1')).rejects.toThrow(/are not the arguments \(2\) in order/);
  });
});
