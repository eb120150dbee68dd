import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA as DANA } from '../../src/sandbox/default-workspace.js';
import { auditedReveals, type Harness, startHarness, waitForCard } from './harness.js';

/**
 * A button's value names the handoff it acts on, and Slack hands back whatever value the message
 * carries: a value copied from another card (or forged) must never act on that other conversation.
 */
const CARD = '4242 4242 4242 4242';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

/** A conversation handed off, its card in the handoff channel, and its handoff's id. */
async function handedOff(first: string) {
  const s = await h.chat.start({ customer: { name: 'Jamie Customer' } });
  expect((await h.chat.send(s, first)).status).toBe(201);
  expect((await h.chat.send(s, 'I want to talk to a person')).status).toBe(201);
  const card = await waitForCard(h.sandbox, (t) => t.includes(s.id));
  const handoff = await h.baton.deps.db
    .selectFrom('handoffs')
    .select('id')
    .where('conversation_id', '=', s.id)
    .executeTakeFirstOrThrow();
  return { s, card, handoffId: handoff.id };
}

const claimedBy = async (handoffId: string) =>
  (
    await h.baton.deps.db
      .selectFrom('handoffs')
      .select('claimed_by')
      .where('id', '=', handoffId)
      .executeTakeFirstOrThrow()
  ).claimed_by;

describe("a button carrying another card's value", () => {
  it('claims neither conversation and tells the clicker the card does not match', async () => {
    const a = await handedOff('Where is my parcel?');
    const b = await handedOff('My invoice is wrong');
    await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, a.card.ts, 'baton_claim', {
      value: b.handoffId,
    });
    const told = await h.sandbox.waitFor(() =>
      h.sandbox.ephemeralsFor(DANA).find((e) => e.text.includes('no longer matches a conversation')),
    );
    expect(told.channel).toBe(h.sandbox.handoffChannelId);
    expect(await claimedBy(a.handoffId)).toBeNull();
    expect(await claimedBy(b.handoffId)).toBeNull();
    // The genuine button still works.
    await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, b.card.ts, 'baton_claim');
    await h.chat.waitFor(b.s, (r) => r.status === 'claimed');
    expect(await claimedBy(b.handoffId)).toBe(DANA);
  });

  it("reveals nothing of the other card's masked details and audits nothing", async () => {
    const a = await handedOff(`My card ${CARD} was charged twice`);
    const b = await handedOff(`Refund to 5555 5555 5555 4444 please`);
    await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, a.card.ts, 'baton_reveal', {
      value: `h:${b.handoffId}`,
    });
    const told = await h.sandbox.waitFor(() =>
      h.sandbox.ephemeralsFor(DANA).find((e) => e.text.includes('does not belong to a card in this channel')),
    );
    // The refusal is all Dana was shown: nothing of either card's details beside it.
    expect(h.sandbox.ephemeralsFor(DANA).map((e) => e.text)).toEqual([told.text]);
    expect(await auditedReveals(h)).toEqual([]);
  });
});
