import type { Db } from './database.js';
import { HANDOFF_CARD, PENDING } from './outbox-repository.js';

/** How far Slack's clock may be ahead of Baton's, for telling a card's ts from older messages. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Whether the message at `rootTs` in this channel may be a handoff card still being posted: a card was
 * handed to the outbox before that message was posted (within clock skew) and its ts is not yet recorded
 * (its post in flight, or made and its answer lost). A reply in its thread arrives as a thread Baton
 * does not know yet. The partial index over pending rows (channel, id) finds it in a few steps.
 */
export async function cardPostPending(db: Db, channel: string, rootTs: string): Promise<boolean> {
  const postedAt = Number(rootTs) * 1000;
  if (!Number.isFinite(postedAt)) return false;
  const row = await db
    .selectFrom('slack_outbox')
    .select('id')
    .where('state', '=', PENDING)
    .where('channel', '=', channel)
    .where('kind', '=', HANDOFF_CARD)
    .where('created_at', '<=', new Date(postedAt + CLOCK_SKEW_MS).toISOString())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
