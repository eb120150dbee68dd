import type { Db } from './database.js';
import { HANDOFF_CARD, PENDING } from './outbox-heads.js';

/** How far Slack's clock and Baton's may differ, either way (a card's ts, an agent's action stamp). */
export const CLOCK_SKEW_MS = 60_000;

/**
 * Whether the message at `rootTs` in this channel may be a handoff card still being posted: a card was
 * handed to the outbox before that message was posted (within clock skew), its post has been started
 * (`sending`: a card still waiting its turn cannot be any thread's root) and its ts is not yet recorded
 * (its answer on its way, or lost and the outbox checking the channel for it). A reply in its thread arrives as a thread Baton
 * does not know yet. The partial index over pending rows (channel, id) finds it in a few steps.
 */
export async function cardPostPending(db: Db, channel: string, rootTs: string): Promise<boolean> {
  const postedAt = Number(rootTs) * 1000;
  // Slack's ts is seconds with microseconds; anything else (or out of Date's range) is no card's.
  if (!(postedAt > 0 && postedAt < 8.64e15)) return false;
  const row = await db
    .selectFrom('slack_outbox')
    .select('id')
    .where('state', '=', PENDING)
    .where('channel', '=', channel)
    .where('kind', '=', HANDOFF_CARD)
    .where('sending', '=', 1)
    .where('created_at', '<=', new Date(postedAt + CLOCK_SKEW_MS).toISOString())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
