import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { findHandoff } from '../handoff/handoff-repository.js';
import { migrateToLatest, type OpenedDatabase, openDatabase } from './database.js';
import { pendingHeads } from './outbox-heads.js';

// The lifecycle migration on data written by the version before it.
let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
});

describe('2026-11-30 lifecycle markers migration', () => {
  it('keeps pending thread notices readable, marks resolved rounds, and says where each card is', async () => {
    opened = openDatabase(':memory:');
    const { db } = opened;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo('2026-11-21T020000-desk-operations')).error).toBeUndefined();
    const now = '2026-11-29T10:00:00.000Z';
    await db
      .insertInto('conversations')
      .values({
        id: 'c1',
        token_hash: 'x',
        status: 'resolved',
        customer_name: null,
        customer_email: null,
        page_url: null,
        metadata: '{}',
        last_seq: 1,
        follow_up_email: null,
        csat_score: null,
        csat_comment: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('messages')
      .values({
        id: 'm1',
        conversation_id: 'c1',
        seq: 1,
        author: 'system',
        text: 'Conversation resolved by Dana.',
        client_message_id: null,
        agent_slack_id: null,
        agent_name: null,
        articles: null,
        confidence: null,
        sentiment: null,
        intents: null,
        slack_ts: null,
        edited_at: null,
        deleted_at: null,
        created_at: now,
      })
      .execute();
    for (const [id, state] of [
      ['h1', 'resolved'],
      ['h2', 'claimed'],
    ] as const)
      await db
        .insertInto('handoffs')
        .values({
          id,
          conversation_id: 'c1',
          reason: 'requested',
          detail: '',
          summary: null,
          sentiment: null,
          state,
          error: null,
          claimed_by: 'U1',
          claimed_by_name: 'Dana',
          triggered_at: now,
          claimed_at: now,
          first_reply_at: null,
          resolved_at: state === 'resolved' ? now : null,
          resolved_by: null,
          assigned_to: null,
          topic: null,
        })
        .execute();
    await db
      .insertInto('slack_threads')
      .values({ channel: 'C1', thread_ts: '1.1', conversation_id: 'c1', handoff_id: 'h1', created_at: now })
      .execute();
    const outbox = (kind: string, handoff: string, payload: string) => ({
      channel: 'C1',
      kind,
      conversation_id: 'c1',
      handoff_id: handoff,
      message_id: null,
      payload,
      state: 'pending',
      attempts: 0,
      not_before: 0,
      result_ts: null,
      error: null,
      created_at: now,
      done_at: null,
    });
    await db
      .insertInto('slack_outbox')
      .values(outbox('handoff_card', 'h2', '{}'))
      .execute();
    await db
      .insertInto('slack_outbox')
      .values(outbox('thread_notice', 'h1', JSON.stringify({ notice: 'resolved', by: 'Dana' })))
      .execute();

    await migrateToLatest(db);

    const heads = await pendingHeads(db);
    expect(heads[0]).toMatchObject({ kind: 'handoff_card', handoffId: 'h2' });
    // The notice queued behind the card, in the same channel lane.
    await db.updateTable('slack_outbox').set({ state: 'done' }).where('kind', '=', 'handoff_card').execute();
    expect((await pendingHeads(db))[0]).toMatchObject({
      kind: 'thread_notice',
      notice: { notice: 'resolved', by: 'Dana' },
    });
    const notice = await db.selectFrom('messages').select('notice').where('id', '=', 'm1').executeTakeFirst();
    expect(notice?.notice).toBe('resolved');
    expect(await findHandoff(db, 'h1')).toMatchObject({ channel: 'C1', cardState: 'posted' });
    expect(await findHandoff(db, 'h2')).toMatchObject({ channel: 'C1', cardState: 'pending' });
  });
});
