import { countByState } from './count-by-state.js';
import type { Db } from './database.js';

/**
 * The Slack inbox: every delivery (event, block action, slash command) is written here before
 * Slack gets its acknowledgement, then worked from here. See docs/operations.md.
 */

export type InboxKind = 'event' | 'action' | 'command';

export interface InboxDelivery {
  deliveryId: string;
  kind: InboxKind;
  lane: string;
  body: Record<string, unknown>;
  retryNum?: number;
  retryReason?: string;
}

export interface InboxItem extends InboxDelivery {
  id: number;
  attempts: number;
  notBefore: number;
  error: string | null;
  receivedAt: string;
}

export interface ParkedInboxItem {
  id: number;
  kind: string;
  error: string | null;
  attempts: number;
  receivedAt: string;
}

/** Returns false when this delivery was recorded before (Slack redelivers; it is then only acknowledged). */
export async function recordDelivery(db: Db, delivery: InboxDelivery, now: string): Promise<boolean> {
  const result = await db
    .insertInto('slack_inbox')
    .values({
      delivery_id: delivery.deliveryId,
      kind: delivery.kind,
      lane: delivery.lane,
      body: JSON.stringify(delivery.body),
      retry_num: delivery.retryNum ?? null,
      retry_reason: delivery.retryReason ?? null,
      state: 'pending',
      received_at: now,
    })
    .onConflict((oc) => oc.column('delivery_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Pending deliveries, oldest first (bounded: the worker asks again when it has room). */
export async function pendingDeliveries(db: Db, limit: number): Promise<InboxItem[]> {
  const rows = await db
    .selectFrom('slack_inbox')
    .selectAll()
    .where('state', '=', 'pending')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    deliveryId: r.delivery_id,
    kind: r.kind as InboxKind,
    lane: r.lane,
    body: JSON.parse(r.body) as Record<string, unknown>,
    ...(r.retry_num !== null ? { retryNum: r.retry_num } : {}),
    ...(r.retry_reason !== null ? { retryReason: r.retry_reason } : {}),
    attempts: r.attempts,
    notBefore: r.not_before,
    error: r.error,
    receivedAt: r.received_at,
  }));
}

export async function markDeliveryDone(db: Db, id: number, now: string): Promise<void> {
  await db.updateTable('slack_inbox').set({ state: 'done', done_at: now }).where('id', '=', id).execute();
}

export async function retryDeliveryLater(db: Db, id: number, notBefore: number, error: string) {
  await db
    .updateTable('slack_inbox')
    .set((eb) => ({ not_before: notBefore, error, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** Not workable yet (what it needs is on its way): tried again after `notBefore`, without counting an attempt. */
export async function deferDelivery(db: Db, id: number, notBefore: number, reason: string) {
  await db
    .updateTable('slack_inbox')
    .set({ not_before: notBefore, error: reason })
    .where('id', '=', id)
    .execute();
}

/** Out of attempts: kept for an admin to see (`/baton status`, App Home); its lane moves on. */
export async function parkDelivery(db: Db, id: number, error: string, now: string): Promise<void> {
  await db
    .updateTable('slack_inbox')
    .set((eb) => ({ state: 'parked', error, done_at: now, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function parkedDeliveries(
  db: Db,
  limit: number,
): Promise<{ total: number; recent: ParkedInboxItem[] }> {
  const recent = await db
    .selectFrom('slack_inbox')
    .select(['id', 'kind', 'error', 'attempts', 'received_at as receivedAt'])
    .where('state', '=', 'parked')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return { total: await countByState(db, 'slack_inbox', 'parked'), recent };
}

/** Done deliveries are kept a day, long enough to drop any redelivery of them; parked ones stay. */
export async function pruneDoneDeliveries(db: Db, olderThan: string): Promise<void> {
  await db
    .deleteFrom('slack_inbox')
    .where('state', '=', 'done')
    .where('received_at', '<', olderThan)
    .execute();
}

export async function countPendingInbox(db: Db): Promise<number> {
  return countByState(db, 'slack_inbox', 'pending');
}
