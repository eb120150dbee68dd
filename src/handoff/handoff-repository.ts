import { type Selectable, sql } from 'kysely';
import { z } from 'zod';
import type { NewHandoff } from '../conversation/effects.js';
import type { Db } from '../storage/database.js';
import { preparedQuery } from '../storage/prepared-query.js';
import type { HandoffsTable } from '../storage/tables.js';
import { type AgentRef, CARD_STATES, type CardState, type Handoff } from './handoff.js';
import { HANDOFF_REASONS, type HandoffReason } from './triggers.js';

export type HandoffRow = Selectable<HandoffsTable>;

const summarySchema = z.object({
  issue: z.string(),
  facts: z.object({
    orderNumbers: z.array(z.string()),
    emails: z.array(z.string()),
    phoneNumbers: z.array(z.string()),
    amounts: z.array(z.string()),
  }),
  tried: z.array(z.string()),
  nextStep: z.string().optional(),
  topic: z.string().optional(),
});

function toReason(value: string): HandoffReason {
  const reason = HANDOFF_REASONS.find((r) => r === value);
  if (!reason) throw new Error(`unknown handoff reason in the database: ${value}`);
  return reason;
}

function toCardState(value: string): CardState {
  return CARD_STATES.find((s) => s === value) ?? 'pending';
}

export function toHandoff(row: HandoffRow, card?: { channel: string; thread_ts: string }): Handoff {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    reason: toReason(row.reason),
    detail: row.detail,
    summary: row.summary ? summarySchema.parse(JSON.parse(row.summary)) : undefined,
    sentiment: row.sentiment ?? undefined,
    channel: row.channel ?? card?.channel ?? '',
    cardState: toCardState(row.state),
    error: row.error ?? undefined,
    claimedBy: row.claimed_by
      ? {
          slackUserId: row.claimed_by,
          name: row.claimed_by_name ?? row.claimed_by,
          ...(row.claimed_by_avatar_url ? { avatarUrl: row.claimed_by_avatar_url } : {}),
        }
      : undefined,
    triggeredAt: row.triggered_at,
    claimedAt: row.claimed_at ?? undefined,
    firstReplyAt: row.first_reply_at ?? undefined,
    resolvedAt: row.resolved_at ?? undefined,
    resolvedBy: row.resolved_by ?? undefined,
    card: card ? { channel: card.channel, ts: card.thread_ts } : undefined,
    assignedTo: row.assigned_to ? row.assigned_to.split(',') : [],
    escalationLevel: row.escalation_level,
    transferred: row.transferred === 1,
    topic: row.topic ?? undefined,
  };
}

export async function insertHandoff(db: Db, conversationId: string, h: NewHandoff, now: string) {
  await db
    .insertInto('handoffs')
    .values({
      id: h.id,
      conversation_id: conversationId,
      reason: h.reason,
      detail: h.detail,
      summary: JSON.stringify(h.summary),
      sentiment: h.sentiment,
      state: 'pending',
      error: null,
      claimed_by: null,
      claimed_by_name: null,
      triggered_at: now,
      claimed_at: null,
      first_reply_at: null,
      resolved_at: null,
      resolved_by: null,
      assigned_to: h.assignedTo.length > 0 ? h.assignedTo.join(',') : null,
      topic: h.topic ?? null,
      channel: h.channel,
    })
    .execute();
}

/** Compare-and-set from the level the caller saw, so two overlapping runs escalate a card once. */
export async function setEscalationLevel(db: Db, id: string, from: number, to: number): Promise<boolean> {
  const result = await db
    .updateTable('handoffs')
    .set({ escalation_level: to })
    .where('id', '=', id)
    .where('escalation_level', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Handoffs with their card's thread in the same read: the hot paths (every customer line after a
 * handoff, every relay) read a handoff. A card is recorded once per handoff (its first post), but the
 * schema does not forbid a second thread row, so callers take one row (`limit(1)`), as the separate
 * read before this did.
 */
function handoffsWithCard(db: Db) {
  return db
    .selectFrom('handoffs')
    .leftJoin('slack_threads', 'slack_threads.handoff_id', 'handoffs.id')
    .selectAll('handoffs')
    .select(['slack_threads.channel as card_channel', 'slack_threads.thread_ts as card_ts']);
}

function withJoinedCard({
  card_channel,
  card_ts,
  ...row
}: HandoffRow & { card_channel: string | null; card_ts: string | null }): Handoff {
  return toHandoff(row, card_channel && card_ts ? { channel: card_channel, thread_ts: card_ts } : undefined);
}

export async function findHandoff(db: Db, id: string): Promise<Handoff | undefined> {
  const row = await handoffsWithCard(db).where('handoffs.id', '=', id).limit(1).executeTakeFirst();
  return row && withJoinedCard(row);
}

/**
 * The read behind findLatestHandoff, run for every customer line: the index on (conversation_id,
 * triggered_at, id) hands a conversation's handoffs over in this order, so nothing is sorted.
 */
export function latestHandoffQuery(db: Db, conversationId: string) {
  return handoffsWithCard(db)
    .where('handoffs.conversation_id', '=', conversationId)
    .orderBy('handoffs.triggered_at', 'desc')
    .orderBy('handoffs.id', 'desc')
    .limit(sql.lit(1));
}

/** The newest handoff of a conversation (the one its live thread belongs to). */
const latestHandoff = preparedQuery(latestHandoffQuery);

export async function findLatestHandoff(db: Db, conversationId: string): Promise<Handoff | undefined> {
  const [row] = await latestHandoff(db, conversationId);
  return row && withJoinedCard(row);
}

const threadLine = preparedQuery((db: Db, handoffId: string, messageId: string) =>
  db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .leftJoin('slack_threads as t', (join) => join.on('t.handoff_id', '=', handoffId))
    .select(['m.text', 'c.customer_name', 't.channel', 't.thread_ts'])
    .where('m.id', '=', messageId)
    .limit(sql.lit(1)),
);

/**
 * A customer line as its handoff's thread shows it: its text, the customer's name and the thread (none
 * while the card is not posted). One read: the relay renders one for every customer line.
 */
export async function findThreadLine(
  db: Db,
  messageId: string,
  handoffId: string,
): Promise<{ text: string; customerName?: string; thread?: { channel: string; ts: string } } | undefined> {
  const [row] = await threadLine(db, handoffId, messageId);
  if (!row) return undefined;
  return {
    text: row.text,
    customerName: row.customer_name ?? undefined,
    thread: row.channel && row.thread_ts ? { channel: row.channel, ts: row.thread_ts } : undefined,
  };
}

export async function findHandoffByThread(
  db: Db,
  channel: string,
  threadTs: string,
): Promise<Handoff | undefined> {
  const link = await db
    .selectFrom('slack_threads')
    .select('handoff_id')
    .where('channel', '=', channel)
    .where('thread_ts', '=', threadTs)
    .executeTakeFirst();
  return link ? findHandoff(db, link.handoff_id) : undefined;
}

export async function recordCardPosted(
  db: Db,
  h: { id: string; conversationId: string },
  channel: string,
  ts: string,
  now: string,
) {
  await db
    .insertInto('slack_threads')
    .values({ channel, thread_ts: ts, conversation_id: h.conversationId, handoff_id: h.id, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .updateTable('handoffs')
    .set({ state: 'posted' })
    .where('id', '=', h.id)
    .where('state', '=', 'pending')
    .execute();
}

export async function recordCardFailed(db: Db, id: string, error: string) {
  await db.updateTable('handoffs').set({ state: 'failed', error }).where('id', '=', id).execute();
}

/** Compare-and-set: only the first claimer wins. */
export async function claimHandoff(db: Db, id: string, agent: AgentRef, now: string) {
  const result = await db
    .updateTable('handoffs')
    .set({
      claimed_by: agent.slackUserId,
      claimed_by_name: agent.name,
      claimed_by_avatar_url: agent.avatarUrl ?? null,
      claimed_at: now,
    })
    .where('id', '=', id)
    .where('claimed_by', 'is', null)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function recordFirstReply(db: Db, id: string, now: string) {
  await db
    .updateTable('handoffs')
    .set({ first_reply_at: now })
    .where('id', '=', id)
    .where('first_reply_at', 'is', null)
    .execute();
}

export async function resolveHandoff(db: Db, id: string, by: string, now: string, transferred: boolean) {
  const result = await db
    .updateTable('handoffs')
    .set({ resolved_at: now, resolved_by: by, ...(transferred ? { transferred: 1 } : {}) })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Hands a claimed conversation to another agent; marks it transferred for the resolution metric. */
export async function reassignHandoff(db: Db, id: string, agent: AgentRef) {
  const result = await db
    .updateTable('handoffs')
    .set({
      claimed_by: agent.slackUserId,
      claimed_by_name: agent.name,
      claimed_by_avatar_url: agent.avatarUrl ?? null,
      transferred: 1,
    })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
