import { afterEach, describe, expect, it } from 'vitest';
import { insertMessage } from '../conversation/message-repository.js';
import { FIXTURE_CHANNEL, seedPendingHandoff } from '../handoff/handoff-fixtures.js';
import { recordCardPosted } from '../handoff/handoff-repository.js';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../storage/database.js';
import { createOutboxRenderer, customerLineText } from './outbox-renderer.js';
import { DEFAULT_MASKED } from '../privacy/sensitive-data.js';

let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
});

const NOW = '2026-12-01T10:00:00.000Z';

/** A conversation with one customer line and a handoff whose card is posted or not. */
async function lineInThread(cardPosted: boolean) {
  opened = openDatabase(':memory:');
  const { db } = opened;
  await migrateToLatest(db);
  await seedPendingHandoff(db, { customerName: 'Jamie <!channel>', now: NOW });
  if (cardPosted)
    await recordCardPosted(db, { id: 'h1', conversationId: 'c1' }, FIXTURE_CHANNEL, '1.000100', NOW);
  await insertMessage(
    db,
    { id: 'm1', conversationId: 'c1', author: 'customer', text: 'is it *shipped*?', createdAt: NOW },
    1,
  );
  return createOutboxRenderer({ db, now: () => new Date(NOW), maskedKinds: async () => DEFAULT_MASKED });
}

const item = (messageId: string) =>
  ({
    id: 1,
    attempts: 0,
    notBefore: 0,
    maybeSent: false,
    kind: 'thread_message',
    channel: 'C0HANDOFFS',
    conversationId: 'c1',
    handoffId: 'h1',
    messageId,
  }) as const;

describe('a customer line rendered for its thread', () => {
  it('goes to the card’s thread with the customer’s name and the message’s text', async () => {
    const renderer = await lineInThread(true);
    expect(await renderer.render(item('m1'))).toEqual({
      channel: 'C0HANDOFFS',
      threadTs: '1.000100',
      // The name is the conversation's, the text the message's (how they are escaped is tested with customerLineText).
      text: customerLineText('Jamie <!channel>', 'is it *shipped*?'),
    });
  });

  it('is kept as failed when the card was never posted, and skipped when the message is gone', async () => {
    const renderer = await lineInThread(false);
    expect(await renderer.render(item('m1'))).toEqual({
      skip: 'no_thread: the handoff card was never posted',
      failed: true,
    });
    expect(await renderer.render(item('m_gone'))).toEqual({ skip: 'message gone' });
  });
});
