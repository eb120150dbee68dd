import { expect } from 'vitest';
import { SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS } from '../../src/sandbox/default-workspace.js';
import { type Harness, type Session, slashCommand, startHarness, waitForCard } from './harness.js';

/**
 * Shared by desk-routing-agents.test.ts and desk-routing-escalation-hours.test.ts: a harness with
 * Slack's rate limits off, `/baton` as an agent, and customers handing off and being claimed.
 */

/**
 * The running test's harness. Exported as a live binding so that the tests read `h` directly while
 * `start` and `stopHarness` (each file's afterEach) stay in one place.
 */
export let h: Harness | undefined;

export async function stopHarness(): Promise<void> {
  await h?.stop();
  h = undefined;
}

export async function start(env: Record<string, string> = {}, now?: () => Date): Promise<Harness> {
  h = await startHarness(env, undefined, now);
  h.sandbox.setRateLimits(false);
  return h;
}

export async function baton(user: string, text: string): Promise<string> {
  return (await slashCommand(h!.sandbox, user, HANDOFFS, text)).text;
}

export const handoffRow = (conversationId: string) =>
  h!.baton.deps.db
    .selectFrom('handoffs')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('resolved_at', 'is', null)
    .executeTakeFirstOrThrow();

export const assignedTo = async (conversationId: string) =>
  (await handoffRow(conversationId)).assigned_to?.split(',') ?? [];

/** A customer presses "Talk to a person" (optionally after a first message) and the card is posted. */
export async function handOff(first?: string) {
  const s = await h!.chat.start({ customer: { name: 'Jamie Customer', email: 'jamie@example.com' } });
  if (first) {
    await h!.chat.send(s, first);
    await h!.chat.waitFor(s, (r) => r.status !== 'bot');
  } else {
    expect((await h!.chat.handoff(s)).status).toBe(202);
  }
  const card = await waitForCard(h!.sandbox, (t) => t.includes(s.id));
  return { s, card };
}

export async function claim(s: Session, cardTs: string, user: string) {
  await h!.sandbox.clickButton(user, HANDOFFS, cardTs, 'baton_claim');
  await h!.chat.waitFor(s, (r) => r.status === 'claimed');
}
