import { afterEach, describe, expect, it } from 'vitest';
import { cardPostPending } from './card-post-pending.js';
import { migrateToLatest, type OpenedDatabase, openDatabase } from './database.js';
import { enqueueOutbox, markOutboxDone, setOutboxSending } from './outbox-repository.js';

let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

/** A card handed to the outbox at 12:00:00; Slack ts of messages around it. */
const QUEUED = '2026-12-02T12:00:00.000Z';
const at = (iso: string) => (Date.parse(iso) / 1000).toFixed(6);

/** A card queued at QUEUED whose post has been started (`sending`) unless `started` is false. */
async function withCard(channel = 'C0HANDOFFS', started = true) {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  const id = await enqueueOutbox(
    opened.db,
    { kind: 'handoff_card', channel, conversationId: 'c1', handoffId: 'h1' },
    QUEUED,
  );
  if (started) await setOutboxSending(opened.db, [id], true);
  return { db: opened.db, id };
}

describe('a card post still pending, for a reply in a thread Baton does not know', () => {
  it('counts a root posted after the card was queued, or within the clock skew before it', async () => {
    const { db } = await withCard();
    expect(await cardPostPending(db, 'C0HANDOFFS', at('2026-12-02T12:00:01.000Z'))).toBe(true);
    expect(await cardPostPending(db, 'C0HANDOFFS', at('2026-12-02T11:59:30.000Z'))).toBe(true);
  });

  it('does not count an older message, another channel, a posted card or something other than a card', async () => {
    const { db, id } = await withCard();
    expect(await cardPostPending(db, 'C0HANDOFFS', at('2026-12-02T11:58:00.000Z'))).toBe(false);
    expect(await cardPostPending(db, 'C0OTHER', at('2026-12-02T12:00:01.000Z'))).toBe(false);
    expect(await cardPostPending(db, 'C0HANDOFFS', 'not-a-ts')).toBe(false);
    expect(await cardPostPending(db, 'C0HANDOFFS', '1e300')).toBe(false);
    await enqueueOutbox(db, { kind: 'channel_notice', channel: 'C0HANDOFFS', text: 'hello' }, QUEUED);
    await markOutboxDone(db, id, '1764676801.000100', QUEUED);
    expect(await cardPostPending(db, 'C0HANDOFFS', at('2026-12-02T12:00:01.000Z'))).toBe(false);
  });

  it('does not count a card still waiting its turn: it cannot be any thread’s root yet', async () => {
    const { db } = await withCard('C0HANDOFFS', false);
    expect(await cardPostPending(db, 'C0HANDOFFS', at('2026-12-02T12:00:01.000Z'))).toBe(false);
  });
});
