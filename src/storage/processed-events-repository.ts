import type { Db } from './database.js';

/**
 * Records a Slack event id. Returns false when it was already recorded, so a redelivered
 * event (X-Slack-Retry-Num, or the same event racing its own retry) is handled once.
 * Call it inside the same transaction as the event's effect: if the effect fails, the mark rolls back
 * and Slack's retry gets a fresh chance.
 */
export async function markEventProcessed(db: Db, eventId: string, now: string): Promise<boolean> {
  const result = await db
    .insertInto('processed_events')
    .values({ event_id: eventId, received_at: now })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Slack retries for about six minutes; keep a day of ids to be safe, then forget them. */
export async function pruneProcessedEvents(db: Db, olderThan: string) {
  await db.deleteFrom('processed_events').where('received_at', '<', olderThan).execute();
}
