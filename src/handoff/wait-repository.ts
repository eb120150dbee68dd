import type { Db } from '../storage/database.js';
import type { ClaimSample } from './wait-estimate.js';

/**
 * Queries behind the wait a waiting customer is told (wait-estimate.ts has the rule). Takeovers are
 * left out: an agent who steps in on their own is claimed the moment the handoff opens.
 */

/** Handoffs asked for since `since` (ISO) that a person claimed, with both times. */
export async function loadClaimSamples(db: Db, since: string): Promise<ClaimSample[]> {
  const rows = await db
    .selectFrom('handoffs')
    .select(['triggered_at', 'claimed_at'])
    .where('triggered_at', '>=', since)
    .where('claimed_at', 'is not', null)
    .where('reason', '!=', 'agent_takeover')
    .execute();
  return rows.flatMap((r) =>
    r.claimed_at ? [{ triggeredAt: r.triggered_at, claimedAt: r.claimed_at }] : [],
  );
}

/**
 * Where a waiting conversation stands in its team's queue: when its open handoff fired, and how many
 * other customers' handoffs in the same channel, still unclaimed and waiting, fired before it.
 */
export async function queuePlace(
  db: Db,
  conversationId: string,
): Promise<{ waitingSince: string; ahead: number } | undefined> {
  const mine = await db
    .selectFrom('handoffs')
    .select(['id', 'triggered_at', 'channel'])
    .where('conversation_id', '=', conversationId)
    .where('claimed_by', 'is', null)
    .where('resolved_at', 'is', null)
    .orderBy('triggered_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!mine) return undefined;
  const row = await db
    .selectFrom('handoffs')
    .innerJoin('conversations', 'conversations.id', 'handoffs.conversation_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('handoffs.claimed_by', 'is', null)
    .where('handoffs.resolved_at', 'is', null)
    .where('handoffs.state', '!=', 'failed')
    .where('conversations.status', '=', 'waiting')
    .where('handoffs.conversation_id', '!=', conversationId)
    .where((eb) =>
      mine.channel === null ? eb('handoffs.channel', 'is', null) : eb('handoffs.channel', '=', mine.channel),
    )
    .where('handoffs.triggered_at', '<', mine.triggered_at)
    .executeTakeFirstOrThrow();
  return { waitingSince: mine.triggered_at, ahead: Number(row.n) };
}
