import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type OpenedDatabase, openDatabase } from './database.js';
import { channelHeads, pendingHeads } from './outbox-heads.js';

let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
});

interface Row {
  id: number;
  channel: string;
  kind: string;
  state: string;
}

/** What pendingHeads promises, computed the slow, obvious way: per channel its oldest pending row and its oldest pending card, cards first, then by id. */
function expectedHeads(rows: Row[]): number[] {
  const pending = rows.filter((r) => r.state === 'pending');
  const heads = new Map<number, Row>();
  for (const channel of new Set(pending.map((r) => r.channel))) {
    const mine = pending.filter((r) => r.channel === channel).sort((a, b) => a.id - b.id);
    heads.set(mine[0]!.id, mine[0]!);
    const card = mine.find((r) => r.kind === 'handoff_card');
    if (card) heads.set(card.id, card);
  }
  return [...heads.values()]
    .sort((a, b) => Number(b.kind === 'handoff_card') - Number(a.kind === 'handoff_card') || a.id - b.id)
    .map((r) => r.id);
}

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function sequence(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
}

describe('the outbox heads', () => {
  it('are each channel’s oldest pending row and oldest pending card, cards first, whatever the mix', async () => {
    opened = openDatabase(':memory:');
    const { db } = opened;
    await migrateToLatest(db);
    const channels = ['C0HANDOFFS', 'C0BILLING', 'C0VIP', 'U0DANA', 'U0SAM'];
    const kinds = ['thread_message', 'thread_message', 'thread_notice', 'handoff_card', 'dm'];
    const states = ['pending', 'pending', 'done', 'failed'];
    const random = sequence(7);
    const rows: Row[] = [];
    for (let round = 0; round < 12; round += 1) {
      for (let i = 0; i < 40; i += 1) {
        const row = {
          channel: channels[random(channels.length)]!,
          kind: kinds[random(kinds.length)]!,
          state: states[random(states.length)]!,
        };
        const { id } = await db
          .insertInto('slack_outbox')
          .values({ ...row, payload: '{}', attempts: 0, not_before: 0, created_at: '2026-12-01T00:00:00Z' })
          .returning('id')
          .executeTakeFirstOrThrow();
        rows.push({ id, ...row });
      }
      // Work done: some pending rows of the round before are sent, as the worker would.
      for (const r of rows.filter((x) => x.state === 'pending' && random(3) === 0)) {
        r.state = 'done';
        await db.updateTable('slack_outbox').set({ state: 'done' }).where('id', '=', r.id).execute();
      }
      expect((await pendingHeads(db)).map((h) => h.id)).toEqual(expectedHeads(rows));
      for (const channel of channels) {
        const mine = rows.filter((r) => r.channel === channel);
        expect((await channelHeads(db, channel)).map((h) => h.id)).toEqual(expectedHeads(mine));
      }
    }
  });

  it('are none when nothing is pending', async () => {
    opened = openDatabase(':memory:');
    await migrateToLatest(opened.db);
    expect(await pendingHeads(opened.db)).toEqual([]);
  });
});
