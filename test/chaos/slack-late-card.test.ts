import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA as DANA } from '../../src/sandbox/default-workspace.js';
import { auditedReveals, type Harness, recordedCard, startHarness } from '../integration/harness.js';

/**
 * Slack weather (issue 10): an agent replies in a card's thread before Baton has read Slack's answer to
 * the card's post (late, or lost and found by its marker). The reply waits for the card, relayed once,
 * or after a minute the agent is told it did not reach the customer. A Claim, a Resolve or a Reveal
 * clicked on such a card waits for it the same way. The other faults: slack-weather-faults.test.ts.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/**
 * A customer talking with the assistant, taken over by Dana from App Home: the card is posted claimed,
 * and Slack shows it at once but answers Baton's post `lateMs` later.
 */
async function takenOverLate(harness: Harness, lateMs: number) {
  const { sandbox } = harness;
  sandbox.setRateLimits(false);
  const s = await harness.chat.start({ customer: { name: 'Robin' } });
  await harness.chat.send(s, 'How long does standard shipping take?');
  await harness.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot'));
  sandbox.setFault('chat.postMessage', { kind: 'late_success', ms: lateMs }, 1);
  await sandbox.openAppHome(DANA);
  const home = await sandbox.waitFor(() => sandbox.homeViewFor(DANA));
  expect((await sandbox.clickViewButton(DANA, home.id, `baton_takeover:${s.id}`)).status).toBe(200);
  const card = await sandbox.waitFor(() =>
    sandbox.readChannel(sandbox.handoffChannelId).find((m) => JSON.stringify(m.blocks ?? []).includes(s.id)),
  );
  return { s, card };
}

describe('a card whose post is answered late', () => {
  // Slack shows the card at once and answers Baton later: in 2 s, or in 15 s, past the call's 10 s
  // timeout, when the outbox finds the card by its marker in the channel before posting it again.
  it.each([
    { late: 'in 2 s', ms: 2_000 },
    { late: 'too late (lost)', ms: 15_000 },
  ])(
    "keeps an agent's reply made in its thread before Baton has recorded the card, and relays it once: answer $late",
    async ({ ms }) => {
      h = await startHarness();
      const { s, card } = await takenOverLate(h, ms);
      expect(await recordedCard(h, card.ts)).toBeUndefined();

      const reply = await h.sandbox.postMessageAs(DANA, h.sandbox.handoffChannelId, 'Dana here: 3-5 days.', {
        threadTs: card.ts,
      });
      // Acknowledged at once, as any event.
      expect(reply.delivery.error).toBeUndefined();
      expect(reply.delivery.status).toBe(200);
      // The database is polled while the card is recorded (the chat API would rate-limit a long poll).
      await expect.poll(() => recordedCard(h!, card.ts), { timeout: 30_000, interval: 200 }).toBeDefined();
      const state = await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'agent') && r);
      expect(state.messages.filter((m) => m.author === 'agent').map((m) => m.text)).toEqual([
        'Dana here: 3-5 days.',
      ]);
      // One card, and nothing parked or told to the agent.
      const cards = h.sandbox
        .readChannel(h.sandbox.handoffChannelId)
        .filter((m) => JSON.stringify(m.blocks ?? []).includes(s.id));
      expect(cards).toHaveLength(1);
      expect(
        await h.baton.deps.db
          .selectFrom('slack_inbox')
          .select('state')
          .where('state', '=', 'parked')
          .execute(),
      ).toEqual([]);
    },
    40_000,
  );
});

describe('a card Baton has still not recorded a minute after a reply in its thread', () => {
  it('tells the agent, visible only to them, that the reply did not reach the customer', async () => {
    // Baton's clock can be moved on; the local workspace keeps the real one.
    let ahead = 0;
    h = await startHarness({}, undefined, () => new Date(Date.now() + ahead));
    const { s, card } = await takenOverLate(h, 15_000);
    // The reply reaches Baton a minute after it was written, while the card is still unrecorded.
    ahead = 61_000;
    await h.sandbox.postMessageAs(DANA, h.sandbox.handoffChannelId, 'Dana here.', { threadTs: card.ts });
    const told = await h.sandbox.waitFor(() =>
      h!.sandbox.ephemeralsFor(DANA).find((e) => /did not reach the customer/.test(e.text)),
    );
    expect(told.text).toContain('Send it again');
    expect(
      (await h.chat.messages(s)).json.messages.some((m: { author: string }) => m.author === 'agent'),
    ).toBe(false);
  }, 30_000);
});

/** A customer who asks for a person; Slack shows the card at once but answers Baton's post `lateMs` later. */
async function handedOffLate(harness: Harness, lateMs: number, first?: string) {
  const { sandbox } = harness;
  sandbox.setRateLimits(false);
  const s = await harness.chat.start({ customer: { name: 'Robin' } });
  sandbox.setFault('chat.postMessage', { kind: 'late_success', ms: lateMs }, 1);
  if (first) await harness.chat.send(s, first);
  await harness.chat.send(s, 'I want to talk to a human please');
  const card = await sandbox.waitFor(() =>
    sandbox.readChannel(sandbox.handoffChannelId).find((m) => JSON.stringify(m.blocks ?? []).includes(s.id)),
  );
  return { s, card };
}

const claimer = (harness: Harness, conversationId: string) =>
  harness.baton.deps.db
    .selectFrom('handoffs')
    .select('claimed_by')
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();

/** The inbox rows of clicks (block actions), oldest first. */
const clicks = (harness: Harness) =>
  harness.baton.deps.db
    .selectFrom('slack_inbox')
    .select(['state', 'attempts'])
    .where('kind', '=', 'action')
    .orderBy('id')
    .execute();

/**
 * Dana clicks `actionId` on a card whose post is answered 15 s late: the click is held past its
 * listener's 2 s with nothing told, then, a minute later by Baton's clock with the card still not recorded,
 * she is told in the card's thread that it did nothing. Returns once the card is recorded after all.
 */
async function clickGivenUp(actionId: string, first?: string) {
  let ahead = 0;
  h = await startHarness({}, undefined, () => new Date(Date.now() + ahead));
  const harness = h;
  const { s, card } = await handedOffLate(harness, 15_000, first);
  await harness.sandbox.clickButton(DANA, harness.sandbox.handoffChannelId, card.ts, actionId);
  // Held: still pending after its listener's own 2 s, nothing told.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect((await clicks(harness)).map((c) => c.state)).toEqual(['pending']);
  expect(harness.sandbox.ephemeralsFor(DANA)).toEqual([]);
  // A minute later by Baton's clock, the card still unrecorded (its answer is 15 s late).
  ahead = 61_000;
  const told = await harness.sandbox.waitFor(() =>
    harness.sandbox.ephemeralsFor(DANA).find((e) => /has not finished posting this card/.test(e.text)),
  );
  expect(told.text).toContain('Click again');
  expect(told.thread_ts).toBe(card.ts);
  expect(await recordedCard(harness, card.ts)).toBeUndefined();
  await expect.poll(() => clicks(harness), { timeout: 5_000 }).toEqual([{ state: 'done', attempts: 0 }]);
  await expect.poll(() => recordedCard(harness, card.ts), { timeout: 30_000, interval: 200 }).toBeDefined();
  return { s, told };
}

describe('a click on a card whose post is answered late', () => {
  it('keeps a Claim clicked before Baton has recorded the card, claims once it is (answer lost), and relays the reply that followed it', async () => {
    h = await startHarness();
    const { s, card } = await handedOffLate(h, 15_000);
    expect(await recordedCard(h, card.ts)).toBeUndefined();
    const click = await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, card.ts, 'baton_claim');
    expect(click.status).toBe(200);
    // Dana replies at once: the reply waits behind the click in the card's lane, so she is the claimer by then.
    await h.sandbox.postMessageAs(DANA, h.sandbox.handoffChannelId, 'Dana here, how can I help?', {
      threadTs: card.ts,
    });
    await expect
      .poll(async () => (await claimer(h!, s.id))?.claimed_by, { timeout: 30_000, interval: 200 })
      .toBe(DANA);
    expect(await recordedCard(h, card.ts)).toBeDefined();
    const state = await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'agent') && r);
    expect(state.messages.filter((m) => m.author === 'agent').map((m) => m.text)).toEqual([
      'Dana here, how can I help?',
    ]);
    // Nothing told to Dana (no refusal, no "not the claimer"), and the click was worked without spending an attempt.
    expect(h.sandbox.ephemeralsFor(DANA).map((e) => e.text)).toEqual([]);
    expect(await clicks(h)).toEqual([{ state: 'done', attempts: 0 }]);
  }, 40_000);

  it('keeps a Resolve clicked before Baton has recorded the card, and resolves once it is', async () => {
    h = await startHarness();
    // Taken over from App Home: the card is posted claimed, with its Resolve button.
    const { s, card } = await takenOverLate(h, 15_000);
    expect(await recordedCard(h, card.ts)).toBeUndefined();
    await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, card.ts, 'baton_resolve');
    const resolvedAt = async () =>
      (
        await h!.baton.deps.db
          .selectFrom('handoffs')
          .select('resolved_at')
          .where('conversation_id', '=', s.id)
          .executeTakeFirst()
      )?.resolved_at;
    await expect.poll(resolvedAt, { timeout: 30_000, interval: 200 }).toBeTruthy();
    expect(await recordedCard(h, card.ts)).toBeDefined();
    expect(h.sandbox.ephemeralsFor(DANA).map((e) => e.text)).toEqual([]);
    // The takeover from App Home, then the Resolve, each worked without spending an attempt.
    await expect
      .poll(() => clicks(h!))
      .toEqual([
        { state: 'done', attempts: 0 },
        { state: 'done', attempts: 0 },
      ]);
  }, 40_000);

  it('holds the click, then tells the agent after a minute that it did nothing, and claims nothing', async () => {
    const { s } = await clickGivenUp('baton_claim');
    // The card is recorded now: the click that was given up on is still not acted on.
    expect((await claimer(h!, s.id))?.claimed_by).toBeNull();
  }, 50_000);
});

describe('a Reveal clicked on a card whose post is answered late', () => {
  const CARD = '4242 4242 4242 4242';

  it('keeps it until the card is recorded, then reveals the masked details to the clicker alone', async () => {
    h = await startHarness();
    const { card } = await handedOffLate(h, 15_000, `My card ${CARD} was charged twice`);
    expect(JSON.stringify(card.blocks)).toContain('baton_reveal');
    expect(await recordedCard(h, card.ts)).toBeUndefined();
    await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, card.ts, 'baton_reveal');
    const revealed = await h.sandbox.waitFor(
      () => h!.sandbox.ephemeralsFor(DANA).find((e) => e.text.includes('Revealed to you only')),
      30_000,
    );
    expect(revealed.text).toContain(CARD);
    expect(await recordedCard(h, card.ts)).toBeDefined();
    // Told nothing before ("That message is no longer there."), and kept without spending an attempt.
    expect(h.sandbox.ephemeralsFor(DANA).map((e) => e.text)).toEqual([revealed.text]);
    await expect.poll(() => clicks(h!)).toEqual([{ state: 'done', attempts: 0 }]);
  }, 40_000);

  it("tells the clicker in the card's thread after a minute that it did nothing, and never reveals or audits it", async () => {
    const { told } = await clickGivenUp('baton_reveal', `My card ${CARD} was charged twice`);
    // The card is recorded now: the click given up on reveals nothing and is not in the audit log.
    expect(h!.sandbox.ephemeralsFor(DANA).map((e) => e.text)).toEqual([told.text]);
    expect(await auditedReveals(h!)).toEqual([]);
  }, 50_000);
});
