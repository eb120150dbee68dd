import type { Selectable } from 'kysely';
import type { Db } from '../storage/database.js';
import { dialectOf } from '../storage/dialect.js';
import type { DeliveryMarksTable } from '../storage/tables.js';
import type { EmailFate, MarkState } from './delivery-mark-rules.js';

/** An agent reply being followed to the customer, with what its thread note quotes. */
export interface TrackedReply extends MarkState {
  messageId: string;
  conversationId: string;
  channel: string;
  threadTs: string;
  /**
   * The message in the thread that gets the marks: the agent's own, or for a copilot reply Baton's
   * "sent the suggested reply" post ('' until it is posted).
   */
  ts: string;
  createdAt: string;
  seq: number;
  text: string;
  agentId?: string;
}

type Row = Selectable<DeliveryMarksTable> & { seq: number; text: string; agent_slack_id: string | null };

function toReply(r: Row): TrackedReply {
  return {
    messageId: r.message_id,
    conversationId: r.conversation_id,
    channel: r.channel,
    threadTs: r.thread_ts,
    ts: r.ts,
    createdAt: r.created_at,
    seq: r.seq,
    text: r.text,
    agentId: r.agent_slack_id ?? undefined,
    deliveredAt: r.delivered_at ?? undefined,
    seenAt: r.seen_at ?? undefined,
    emailedAt: r.emailed_at ?? undefined,
    undeliveredAt: r.undelivered_at ?? undefined,
  };
}

/**
 * Replies with their marks. Read to be changed: on PostgreSQL the rows are locked until the transaction
 * ends, so a receipt on one instance and the 2-minute check on another cannot both act on the same
 * unmarked reply (one waits, then sees what the other wrote). SQLite's write transactions are one at a
 * time already.
 */
const tracked = (db: Db) =>
  db
    .selectFrom('delivery_marks as d')
    .innerJoin('messages as m', 'm.id', 'd.message_id')
    .selectAll('d')
    .select(['m.seq', 'm.text', 'm.agent_slack_id'])
    .where('m.deleted_at', 'is', null)
    .$if(dialectOf(db) === 'postgres', (q) => q.forUpdate('d'));

/** Starts following a reply; a redelivered Slack event keeps the first row. */
export async function trackReply(
  db: Db,
  r: Pick<TrackedReply, 'messageId' | 'conversationId' | 'channel' | 'threadTs' | 'ts' | 'createdAt'>,
) {
  await db
    .insertInto('delivery_marks')
    .values({
      message_id: r.messageId,
      conversation_id: r.conversationId,
      channel: r.channel,
      thread_ts: r.threadTs,
      ts: r.ts,
      created_at: r.createdAt,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

/** The post a copilot reply's marks go on, once Slack has it (tracked with an empty ts until then). */
export async function setReplyTs(db: Db, messageId: string, ts: string): Promise<void> {
  await db.updateTable('delivery_marks').set({ ts }).where('message_id', '=', messageId).execute();
}

export async function findDeliveryMark(db: Db, messageId: string): Promise<TrackedReply | undefined> {
  const row = await tracked(db).where('d.message_id', '=', messageId).executeTakeFirst();
  return row && toReply(row);
}

/** A conversation's replies up to `seq` that are not yet seen (the newest 200: older ones are settled). */
export async function repliesNotSeen(db: Db, conversationId: string, upToSeq: number) {
  const rows = await tracked(db)
    .where('d.conversation_id', '=', conversationId)
    .where('m.seq', '<=', upToSeq)
    .where('d.seen_at', 'is', null)
    .orderBy('m.seq', 'desc')
    .limit(200)
    .execute();
  return rows.map(toReply).reverse();
}

function emailFate(state: string | null): EmailFate | 'sent' {
  if (state === 'sent' || state === 'failed') return state;
  return state ? 'pending' : 'none';
}

/** Replies older than `before` that reached nobody and were not yet reported, with their email's fate. */
export async function overdueReplies(db: Db, before: string, limit = 100) {
  const rows = await tracked(db)
    .innerJoin('conversations as c', 'c.id', 'd.conversation_id')
    .leftJoin('email_outbox as e', 'e.message_id', 'd.message_id')
    .select(['c.follow_up_email', 'c.customer_email', 'e.state as email_state'])
    .where('d.created_at', '<=', before)
    .where('d.delivered_at', 'is', null)
    .where('d.emailed_at', 'is', null)
    .where('d.undelivered_at', 'is', null)
    .orderBy('d.created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    reply: toReply(r),
    // Either address would be written to (followUpAddress in conversation.ts).
    hasAddress: r.follow_up_email !== null || r.customer_email !== null,
    email: emailFate(r.email_state),
  }));
}

export async function saveMarks(db: Db, messageId: string, s: MarkState): Promise<void> {
  await db
    .updateTable('delivery_marks')
    .set({
      delivered_at: s.deliveredAt ?? null,
      seen_at: s.seenAt ?? null,
      emailed_at: s.emailedAt ?? null,
      undelivered_at: s.undeliveredAt ?? null,
    })
    .where('message_id', '=', messageId)
    .execute();
}

/** Forgets replies older than `before`: a customer back after that long gets no new mark on them. */
export async function pruneDeliveryMarks(db: Db, before: string): Promise<void> {
  await db.deleteFrom('delivery_marks').where('created_at', '<', before).execute();
}
