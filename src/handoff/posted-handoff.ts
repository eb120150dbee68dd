import type { Db } from '../storage/database.js';
import type { Handoff } from './handoff.js';
import { findHandoff } from './handoff-repository.js';

/** How long a click may wait, in its listener, for its card's post to be recorded. */
export const CARD_RECORD_WAIT_MS = 2_000;
const CARD_RECORD_POLL_MS = 50;

/**
 * The handoff a card's button names, once its card is recorded. The outbox records a card's ts just
 * after Slack answers the post; an agent who clicks within those milliseconds (or a click that reaches
 * another instance first) must not be told the card matches nothing, so a handoff whose card is still
 * pending is read again for a short while (`waitMs`; less for a click already older than that). The wait
 * is counted in polls, not read from a clock: at most `waitMs` of pauses, plus the reads themselves and
 * any lateness of the timers under load (so not a wall-clock limit).
 */
export async function findPostedHandoff(
  db: Db,
  id: string,
  waitMs = CARD_RECORD_WAIT_MS,
): Promise<Handoff | undefined> {
  for (let waited = 0; ; waited += CARD_RECORD_POLL_MS) {
    const handoff = await findHandoff(db, id);
    if (!handoff || handoff.card || handoff.cardState !== 'pending' || waited >= waitMs) return handoff;
    await new Promise((resolve) => setTimeout(resolve, Math.min(CARD_RECORD_POLL_MS, waitMs - waited)));
  }
}
