import { SANDBOX_AGENT_DANA as DANA } from '../../src/sandbox/default-workspace.js';
import { type Harness, type Session, waitForCard } from '../integration/harness.js';

/** Shared by slack-weather-faults.test.ts and slack-weather-pace.test.ts. */

/** A customer asks for a person and the card reaches the handoff channel; both are handed back. */
export async function handedOff(harness: Harness): Promise<{ s: Session; cardTs: string }> {
  const s = await harness.chat.start({ customer: { name: 'Jamie', email: 'jamie@example.com' } });
  await harness.chat.send(s, 'I want to talk to a person');
  await harness.chat.waitFor(s, (r) => r.status === 'waiting');
  const card = await waitForCard(harness.sandbox);
  return { s, cardTs: card.ts };
}

/** As `handedOff`, then Dana claims the card and the customer's chat shows it claimed. */
export async function claimedByDana(harness: Harness): Promise<{ s: Session; cardTs: string }> {
  const busy = await handedOff(harness);
  await harness.sandbox.clickButton(DANA, harness.sandbox.handoffChannelId, busy.cardTs, 'baton_claim');
  await harness.chat.waitFor(busy.s, (r) => r.status === 'claimed');
  return busy;
}
