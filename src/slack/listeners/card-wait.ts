import { deliveryNotYet } from '../inbox/inbox-worker.js';

/**
 * How long a reply or a click on a card still being posted is kept waiting for it: past the outbox's
 * longest path to recording a card whose answer was lost (a 17 s give-up, a 2 s backoff, then reading the
 * channel). Slack shows the card as soon as it is posted; Baton knows its ts only once Slack's answer is
 * read or the card is found by its marker.
 */
export const CARD_WAIT_MS = 60_000;
const CARD_RETRY_MS = 1_000;

/**
 * For a delivery that needs a card Baton has not recorded yet: throws `deliveryNotYet` (the inbox keeps
 * it and tries again in a second, its lane waiting behind it) while the agent's action, made at
 * `actedTs` (a Slack ts), is less than CARD_WAIT_MS old. Past that it returns, and the listener tells
 * the agent what did not happen.
 */
export function waitForCard(now: Date, actedTs: string, what: string): void {
  const actedAt = Number(actedTs) * 1000;
  if (Number.isFinite(actedAt) && now.getTime() - actedAt < CARD_WAIT_MS)
    throw deliveryNotYet(`${what}: the card is still being posted`, CARD_RETRY_MS);
}
