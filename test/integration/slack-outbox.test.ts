import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOMER_NOTICES } from '../../src/conversation/customer-notices.js';
const CARD_FAILED_NOTICE = CUSTOMER_NOTICES.cardFailed;
import { SANDBOX_AGENT_SAM, SANDBOX_RANDOM_CHANNEL_ID } from '../../src/sandbox/default-workspace.js';
import { MAX_ATTEMPTS } from '../../src/slack/outbox-worker.js';
import { enqueueOutbox } from '../../src/storage/outbox-repository.js';
import { type Harness, startHarness, waitForCard } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('Slack outbox', () => {
  it('does not post a second card when a retried post had in fact reached Slack', async () => {
    h = await startHarness();
    const db = h.baton.deps.db;
    const { s, card, posted } = await handedOffWithCard();

    const done = await replayAsAmbiguous(posted.id);
    expect(done.result_ts).toBe(card.ts);
    const cards = h.sandbox.readChannel(h.sandbox.handoffChannelId).filter((m) => m.user === 'U0BATONBOT');
    expect(cards).toHaveLength(1);
    expect(
      h.sandbox
        .calls()
        .filter(
          (c) =>
            c.method === 'chat.postMessage' &&
            c.args.channel === h!.sandbox.handoffChannelId &&
            !c.args.thread_ts,
        ),
    ).toHaveLength(1);
    const handoff = await db
      .selectFrom('handoffs')
      .selectAll()
      .where('conversation_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(handoff.state).toBe('posted');
    const threads = await db
      .selectFrom('slack_threads')
      .selectAll()
      .where('conversation_id', '=', s.id)
      .execute();
    expect(threads.map((t) => t.thread_ts)).toEqual([card.ts]);
  });

  it('finds its earlier post on a later page of a long thread and does not post the line twice', async () => {
    h = await startHarness();
    const s = await h.chat.start({ customer: { name: 'Jamie' } });
    await h.chat.send(s, 'I want to talk to a person');
    const card = await waitForCard(h.sandbox);
    const ch = h.sandbox.handoffChannelId;
    // 210 replies from teammates first: the customer's next line lands beyond the first page of 200.
    for (let i = 0; i < 210; i += 1)
      await h.sandbox.postMessageAs(SANDBOX_AGENT_SAM, ch, `note ${i}`, { threadTs: card.ts });
    await h.chat.send(s, 'Are you still there?');
    const db = h.baton.deps.db;
    const line = await waitUntil(() =>
      db
        .selectFrom('slack_outbox')
        .selectAll()
        .where('kind', '=', 'thread_message')
        .where('state', '=', 'done')
        .executeTakeFirst(),
    );
    const done = await replayAsAmbiguous(line.id);
    expect(done.result_ts).toBe(line.result_ts);
    expect(
      h.sandbox.readThread(ch, card.ts).filter((m) => m.text.includes('Are you still there?')),
    ).toHaveLength(1);
  }, 30_000);

  it('takes the offline path when the handoff channel cannot even be listed, and stops retrying', async () => {
    h = await startHarness({ SLACK_HANDOFF_CHANNEL: 'C0MISSING' });
    const s = await h.chat.start();
    await h.chat.send(s, 'I want to talk to a person');
    const state = await h.chat.waitFor(s, (r) => r.status === 'queued' && r);
    // Nobody can be routed to a channel Slack cannot list: the customer hears the offline message.
    expect(state.messages.at(-1)?.text).toMatch(/^No one from our team is available right now/);
    const db = h.baton.deps.db;
    const handoff = await waitUntil(async () => {
      const row = await db
        .selectFrom('handoffs')
        .selectAll()
        .where('conversation_id', '=', s.id)
        .executeTakeFirstOrThrow();
      return row.state === 'failed' && row;
    });
    expect(handoff.error).toBe('channel_not_found');
    const attempts = h.sandbox.calls().filter((c) => c.method === 'chat.postMessage');
    expect(attempts).toHaveLength(1);
  });

  it('works channels independently: a post stuck in one channel does not hold up another', async () => {
    h = await startHarness();
    const db = h.baton.deps.db;
    const stateOf = async (id: number) =>
      (await db.selectFrom('slack_outbox').select('state').where('id', '=', id).executeTakeFirstOrThrow())
        .state;
    const now = new Date().toISOString();
    h.sandbox.setFault('chat.postMessage', { kind: 'slow', ms: 3000 }, 1);
    const slow = await enqueueOutbox(
      db,
      { kind: 'channel_notice', channel: h.sandbox.handoffChannelId, text: 'slow channel notice' },
      now,
    );
    h.baton.deps.kickOutbox();
    // In flight once flagged as sending (the local workspace records a call only once it is answered).
    await waitUntil(
      async () =>
        (
          await db
            .selectFrom('slack_outbox')
            .select('sending')
            .where('id', '=', slow)
            .executeTakeFirstOrThrow()
        ).sending === 1,
    );
    const started = Date.now();
    const other = await enqueueOutbox(
      db,
      { kind: 'channel_notice', channel: SANDBOX_AGENT_SAM, text: 'notice in a direct message' },
      now,
    );
    h.baton.deps.kickOutbox();
    await waitUntil(async () => (await stateOf(other)) === 'done');
    // Delivered while the first channel's post was still waiting on Slack.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await stateOf(slow)).toBe('pending');
    await waitUntil(async () => (await stateOf(slow)) === 'done');
  });

  it('keeps a possibly sent card flagged when the check for it is rate-limited, so it is never posted twice', async () => {
    h = await startHarness();
    const { posted } = await handedOffWithCard();
    // The check for the marker meets a 429 once; the retry must check again, not post blind.
    h.sandbox.forceRateLimit('conversations.history', 1, 1);
    await replayAsAmbiguous(posted.id);
    const cards = h.sandbox.readChannel(h.sandbox.handoffChannelId).filter((m) => m.user === 'U0BATONBOT');
    expect(cards).toHaveLength(1);
  });

  it('parks an item that kept failing and lets the channel queue move on', async () => {
    h = await startHarness();
    const db = h.baton.deps.db;
    const channel = h.sandbox.handoffChannelId;
    const now = new Date().toISOString();
    // Enqueued with its attempts used up in one transaction: a pass running meanwhile never sees it fresh.
    const stuck = await db.transaction().execute(async (trx) => {
      const id = await enqueueOutbox(trx, { kind: 'channel_notice', channel, text: 'stuck notice' }, now);
      await trx.updateTable('slack_outbox').set({ attempts: MAX_ATTEMPTS }).where('id', '=', id).execute();
      return id;
    });
    const next = await enqueueOutbox(db, { kind: 'channel_notice', channel, text: 'next notice' }, now);
    h.baton.deps.kickOutbox();
    const rows = await waitUntil(async () => {
      const all = await db.selectFrom('slack_outbox').selectAll().where('id', 'in', [stuck, next]).execute();
      return all.every((r) => r.state !== 'pending') && all;
    });
    expect(rows.find((r) => r.id === stuck)).toMatchObject({
      state: 'failed',
      error: `gave_up_after_${MAX_ATTEMPTS}_attempts`,
    });
    expect(rows.find((r) => r.id === next)?.state).toBe('done');
    const posted = h.sandbox
      .calls()
      .filter((c) => c.method === 'chat.postMessage')
      .map((c) => c.args.text);
    expect(posted).toContain('next notice');
    expect(posted).not.toContain('stuck notice');
  });

  it('tells the customer the team could not be reached when Slack refuses the card for good', async () => {
    // Agents are in #random but the bot was never invited: routing finds them, chat.postMessage fails.
    h = await startHarness({ SLACK_HANDOFF_CHANNEL: SANDBOX_RANDOM_CHANNEL_ID });
    const s = await h.chat.start();
    await h.chat.send(s, 'I want to talk to a person');
    const state = await h.chat.waitFor(s, (r) => r.status === 'queued' && r);
    expect(state.messages.at(-1)?.text).toBe(CARD_FAILED_NOTICE);
    const row = await h.baton.deps.db
      .selectFrom('handoffs')
      .selectAll()
      .where('conversation_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'failed', error: 'not_in_channel' });
    expect(
      h.sandbox
        .calls()
        .filter((c) => c.method === 'chat.postMessage' && c.args.channel === SANDBOX_RANDOM_CHANNEL_ID),
    ).toHaveLength(1);
  });
});

/**
 * A customer asks for a person; resolves with the card in the channel and its outbox row once marked
 * done. (The card can be visible before its row is marked done; replaying earlier would race the first
 * delivery instead of exercising the retry's marker check.)
 */
async function handedOffWithCard() {
  const s = await h!.chat.start();
  await h!.chat.send(s, 'I want to talk to a person');
  const card = await waitForCard(h!.sandbox);
  const posted = await waitUntil(() =>
    h!.baton.deps.db
      .selectFrom('slack_outbox')
      .selectAll()
      .where('kind', '=', 'handoff_card')
      .where('state', '=', 'done')
      .executeTakeFirst(),
  );
  return { s, card, posted };
}

/**
 * Replays the situation after an ambiguous failure: the same outbox item, pending again with one
 * attempt behind it (its `sending` flag still set), and waits until the worker has settled it.
 */
async function replayAsAmbiguous(id: number) {
  const db = h!.baton.deps.db;
  await db
    .updateTable('slack_outbox')
    .set({ state: 'pending', attempts: 1, not_before: 0 })
    .where('id', '=', id)
    .execute();
  h!.baton.deps.kickOutbox();
  return waitUntil(async () => {
    const row = await db
      .selectFrom('slack_outbox')
      .select(['state', 'result_ts'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.state === 'done' && row;
  });
}

async function waitUntil<T>(probe: () => Promise<T | false | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}
