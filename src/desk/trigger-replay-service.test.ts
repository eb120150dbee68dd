import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../storage/database.js';
import { loadDeskSettings } from './settings-service.js';
import { pruneTriggerInputs } from '../handoff/trigger-input-repository.js';
import { replayTriggerChange } from './trigger-replay-service.js';

/** The replay reads stored decisions page by page; where the pages fall must not change the answer. */

let storage: OpenedDatabase;
const NOW = new Date('2026-03-31T12:00:00Z');
const deps = () => ({
  db: storage.db,
  now: () => NOW,
  settings: () => loadDeskSettings({ db: storage.db }),
});

beforeEach(async () => {
  storage = openDatabase(':memory:');
  await migrateToLatest(storage.db);
});
afterEach(async () => {
  await storage.close();
});

/** A conversation whose customer lines were decided on at `at`, each with `confidence`. */
async function conversation(id: string, at: string, confidences: number[]) {
  await storage.db
    .insertInto('conversations')
    .values({
      id,
      token_hash: 'x',
      status: 'bot',
      metadata: '{}',
      last_seq: confidences.length,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const [i, confidence] of confidences.entries()) {
    const messageId = `${id}-m${i + 1}`;
    await storage.db
      .insertInto('messages')
      .values({
        id: messageId,
        conversation_id: id,
        seq: i + 1,
        author: 'customer',
        text: 'Where is my parcel?',
        created_at: at,
      })
      .execute();
    await storage.db
      .insertInto('trigger_inputs')
      .values({
        message_id: messageId,
        conversation_id: id,
        seq: i + 1,
        customer_turns: i + 1,
        answered: 1,
        confidence,
        sentiment: 0,
        conversation_sentiment: 0,
        intents: '[]',
        decided_at: at,
      })
      .execute();
  }
}

describe('replayTriggerChange', () => {
  it('gives the same answer whatever the page size, and leaves out decisions older than the window', async () => {
    await conversation('c_a', '2026-03-30T10:00:00.000Z', [0.9, 0.4, 0.1]);
    await conversation('c_b', '2026-03-29T10:00:00.000Z', [0.45]);
    await conversation('c_c', '2026-03-28T10:00:00.000Z', [0.9, 0.9]);
    await conversation('c_d', '2026-03-27T10:00:00.000Z', [0.2, 0.35]);
    await conversation('c_old', '2026-02-01T10:00:00.000Z', [0.4]);
    const change = { kind: 'trigger_confidence', value: 0.5 } as const;
    const reports = [];
    for (const pageSize of [1, 2, 3, 1000])
      reports.push(await replayTriggerChange(deps(), change, { pageSize }));
    for (const report of reports) expect(report).toEqual(reports[0]);
    expect(reports[0]).toMatchObject({
      conversations: 4,
      decisions: 8,
      now: { handoffs: 2 },
      proposed: { handoffs: 3 },
      started: { count: 1, examples: [{ conversationId: 'c_b', reason: 'low_confidence' }] },
      stopped: { count: 0 },
      // c_a: at its second message instead of its third; c_d at its first either way.
      moved: 1,
      days: 30,
    });
    const week = await replayTriggerChange(deps(), change, { days: 3 });
    expect(week.conversations).toBe(2);
    // Pruning drops what no replay can reach any more, and nothing newer.
    await pruneTriggerInputs(storage.db, '2026-03-01T00:00:00.000Z');
    expect((await replayTriggerChange(deps(), change, { days: 365 })).conversations).toBe(4);
    const left = await storage.db.selectFrom('trigger_inputs').select('conversation_id').distinct().execute();
    expect(left.map((r) => r.conversation_id).sort()).toEqual(['c_a', 'c_b', 'c_c', 'c_d']);
  });
});
