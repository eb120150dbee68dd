import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../storage/database.js';
import { FIXTURE_CHANNEL, seedPendingHandoff } from './handoff-fixtures.js';
import { recordCardPosted } from './handoff-repository.js';
import { findPostedHandoff } from './posted-handoff.js';

let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

const NOW = '2026-12-01T10:00:00.000Z';

/** A handoff whose card post has been started and not recorded. */
async function pendingCard() {
  opened = openDatabase(':memory:');
  const { db } = opened;
  await migrateToLatest(db);
  await seedPendingHandoff(db, { customerName: 'Jamie', now: NOW });
  return db;
}

describe('findPostedHandoff', () => {
  it('reads again until the card is recorded, within the wait', async () => {
    const db = await pendingCard();
    // Kept, and awaited before the database closes: the lookup may see the card between its two writes.
    const recorded = new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        recordCardPosted(db, { id: 'h1', conversationId: 'c1' }, FIXTURE_CHANNEL, '1.000100', NOW).then(
          resolve,
          reject,
        );
      }, 120),
    );
    const found = await findPostedHandoff(db, 'h1', 5_000);
    await recorded;
    expect(found?.card).toEqual({ channel: FIXTURE_CHANNEL, ts: '1.000100' });
  });

  it('gives the handoff back still pending once the wait is spent, and reads once with no wait', async () => {
    const db = await pendingCard();
    expect(await findPostedHandoff(db, 'h1', 120)).toMatchObject({ cardState: 'pending', card: undefined });
    // A card recorded just after: a click with no wait left has already been answered from one read.
    const once = findPostedHandoff(db, 'h1', 0);
    await recordCardPosted(db, { id: 'h1', conversationId: 'c1' }, FIXTURE_CHANNEL, '1.000100', NOW);
    expect(await once).toMatchObject({ cardState: 'pending', card: undefined });
    expect(await findPostedHandoff(db, 'nope', 5_000)).toBeUndefined();
  });
});
