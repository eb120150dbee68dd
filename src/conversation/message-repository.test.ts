import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../storage/database.js';
import { insertConversation, nextSeq } from './conversation-repository.js';
import { insertMessage, listMessages } from './message-repository.js';

const NOW = '2026-12-03T09:00:00.000Z';
let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

describe('listMessages', () => {
  it('reads a page of each size asked for after a seq, and refuses a size that is not a whole count', async () => {
    opened = openDatabase(':memory:');
    const { db } = opened;
    await migrateToLatest(db);
    await insertConversation(db, { id: 'c1', tokenHash: 'x', customer: {}, metadata: {}, now: NOW });
    for (const n of [1, 2, 3, 4]) {
      const { lastSeq } = await nextSeq(db, 'c1', NOW);
      await insertMessage(
        db,
        { id: `m${n}`, conversationId: 'c1', author: 'customer', text: `line ${n}`, createdAt: NOW },
        lastSeq,
      );
    }
    const seqs = async (after: number, size: number) =>
      (await listMessages(db, 'c1', after, size)).map((m) => m.seq);
    expect(await seqs(0, 2)).toEqual([1, 2]);
    expect(await seqs(1, 200)).toEqual([2, 3, 4]);
    expect(await seqs(2, 2)).toEqual([3, 4]);
    expect(await seqs(3, 1)).toEqual([4]);
    await expect(listMessages(db, 'c1', 0, 1.5)).rejects.toThrow(/page size must be a whole count, got 1.5/);
    await expect(listMessages(db, 'c1', 0, -1)).rejects.toThrow(RangeError);
  });
});
