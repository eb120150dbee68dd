import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../storage/database.js';
import { latestHandoffQuery } from './handoff-repository.js';

let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

describe('latestHandoffQuery', () => {
  it("reads a conversation's newest handoff through its index, with nothing sorted", async () => {
    opened = openDatabase(':memory:');
    await migrateToLatest(opened.db);
    const query = latestHandoffQuery(opened.db, 'conversation-1').compile();
    const plan = await opened.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
    );
    const steps = plan.rows.map((row) => row.detail);
    expect(steps).toContainEqual(expect.stringContaining('handoffs_conversation_latest_idx'));
    expect(steps.join('\n')).not.toMatch(/TEMP B-TREE/);
  });
});
