import type { Db } from './database.js';

/** What the outbox worker does with an item; payload details live in the JSON payload. */
export type OutboxKind =
  'handoff_card' | 'thread_message' | 'thread_notice' | 'card_update' | 'channel_notice' | 'dm';

export interface OutboxItem {
  id: number;
  channel: string;
  kind: OutboxKind;
  conversationId?: string;
  handoffId?: string;
  messageId?: string;
  payload: Record<string, unknown>;
  attempts: number;
  notBefore: number;
}

export interface NewOutboxItem {
  channel: string;
  kind: OutboxKind;
  conversationId?: string;
  handoffId?: string;
  messageId?: string;
  payload?: Record<string, unknown>;
  now: string;
}

export async function enqueueOutbox(db: Db, item: NewOutboxItem): Promise<number> {
  const row = await db
    .insertInto('slack_outbox')
    .values({
      channel: item.channel,
      kind: item.kind,
      conversation_id: item.conversationId ?? null,
      handoff_id: item.handoffId ?? null,
      message_id: item.messageId ?? null,
      payload: JSON.stringify(item.payload ?? {}),
      state: 'pending',
      attempts: 0,
      not_before: 0,
      result_ts: null,
      error: null,
      created_at: item.now,
      done_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The oldest pending item of every channel, in id order. Only the head of each channel's
 * queue is eligible, which is what keeps Slack posts in order even while one is retried.
 */
export async function pendingHeads(db: Db): Promise<OutboxItem[]> {
  const rows = await db
    .selectFrom('slack_outbox')
    .selectAll()
    .where('state', '=', 'pending')
    .where('id', 'in', (qb) =>
      qb
        .selectFrom('slack_outbox')
        .select((eb) => eb.fn.min('id').as('id'))
        .where('state', '=', 'pending')
        .groupBy('channel'),
    )
    .orderBy('id', 'asc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    kind: r.kind as OutboxKind,
    conversationId: r.conversation_id ?? undefined,
    handoffId: r.handoff_id ?? undefined,
    messageId: r.message_id ?? undefined,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    attempts: r.attempts,
    notBefore: r.not_before,
  }));
}

export async function markOutboxDone(db: Db, id: number, resultTs: string | undefined, now: string) {
  await db
    .updateTable('slack_outbox')
    .set({ state: 'done', result_ts: resultTs ?? null, done_at: now })
    .where('id', '=', id)
    .execute();
}

export async function markOutboxFailed(db: Db, id: number, error: string, now: string) {
  await db
    .updateTable('slack_outbox')
    .set({ state: 'failed', error, done_at: now })
    .where('id', '=', id)
    .execute();
}

export async function deferOutbox(db: Db, id: number, notBefore: number, error: string) {
  await db
    .updateTable('slack_outbox')
    .set((eb) => ({ not_before: notBefore, error, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function countPendingOutbox(db: Db): Promise<number> {
  const row = await db
    .selectFrom('slack_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The channel a handoff's card was queued for, so its thread posts queue behind it in the same lane. */
export async function cardChannelOf(db: Db, handoffId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('slack_outbox')
    .select('channel')
    .where('handoff_id', '=', handoffId)
    .where('kind', '=', 'handoff_card')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.channel;
}
