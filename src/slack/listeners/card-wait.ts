import { CARD_RECORD_WAIT_MS } from '../../handoff/posted-handoff.js';
import { CLOCK_SKEW_MS } from '../../storage/card-post-pending.js';
import { deliveryNotYet } from '../inbox/inbox-worker.js';

/**
 * How long a reply or a click on a card still being posted is kept waiting for it: past the outbox's
 * longest path to recording a card whose answer was lost (a 17 s give-up, a 2 s backoff, then reading the
 * channel). Slack shows the card as soon as it is posted; Baton knows its ts only once Slack's answer is
 * read or the card is found by its marker.
 */
export const CARD_WAIT_MS = 60_000;
const CARD_RETRY_MS = 1_000;

/** What an agent is told when a click on a card still being posted was given up on. */
export const CARD_NOT_POSTED =
  'Baton has not finished posting this card yet, so that click did nothing. Click again in a minute.';

/** How long ago the agent acted, by Baton's clock, from the action's Slack ts; undefined if unusable. */
export function actedMsAgo(now: Date, actedTs: string | undefined): number | undefined {
  const actedAt = Number(actedTs) * 1000;
  if (!actedTs || !Number.isFinite(actedAt) || actedAt <= 0) return undefined;
  const ago = now.getTime() - actedAt;
  // Stamped further ahead of Baton's clock than the two may differ: not a time to wait from.
  return ago < -CLOCK_SKEW_MS ? undefined : ago;
}

/**
 * How long a click's listener reads again for its card (findPostedHandoff): the short wait is spent once,
 * counted from the click, and is never longer, whatever Slack's clock says; a click the inbox tries again
 * reads the handoff once.
 */
export function listenerWaitMs(now: Date, actedTs: string | undefined): number {
  const ago = actedMsAgo(now, actedTs);
  return ago === undefined
    ? CARD_RECORD_WAIT_MS
    : Math.min(CARD_RECORD_WAIT_MS, Math.max(0, CARD_RECORD_WAIT_MS - ago));
}

/**
 * For a delivery that needs a card Baton has not recorded yet: while the agent's action is less than
 * CARD_WAIT_MS old, throws `deliveryNotYet`, so the inbox keeps it and tries again in a second (its lane
 * waiting behind it) without spending an attempt. Past that, or with no usable time (a stamp more than
 * the clock skew in the future would otherwise be held for ever), it returns and the listener tells the
 * agent what did not happen.
 */
export function deferUntilCardRecorded(now: Date, actedTs: string | undefined, what: string): void {
  const ago = actedMsAgo(now, actedTs);
  if (ago !== undefined && ago < CARD_WAIT_MS)
    throw deliveryNotYet(`${what}: the card is still being posted`, CARD_RETRY_MS);
}
