import type { ConversationSummary } from '../conversation/assistant.js';
import type { HandoffReason } from './triggers.js';
import type { Db } from '../storage/database.js';
import type { Selectable } from 'kysely';
import type { HandoffsTable } from '../storage/tables.js';

type HandoffRow = Selectable<HandoffsTable>;

export type HandoffState = 'pending' | 'posted' | 'failed' | 'claimed' | 'resolved';

export interface Handoff {
  id: string;
  conversationId: string;
  reason: HandoffReason;
  detail: string;
  summary?: ConversationSummary;
  sentiment?: number;
  state: HandoffState;
  error?: string;
  claimedBy?: { slackUserId: string; name: string };
  triggeredAt: string;
  claimedAt?: string;
  firstReplyAt?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  /** Where the card lives once posted. */
  card?: { channel: string; ts: string };
  /** The agents routing picked or notified (anyone may still claim). */
  assignedTo: string[];
  escalationLevel: number;
  transferred: boolean;
  topic?: string;
}

function toHandoff(row: HandoffRow, card?: { channel: string; thread_ts: string }): Handoff {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    reason: row.reason as HandoffReason,
    detail: row.detail,
    summary: row.summary ? (JSON.parse(row.summary) as ConversationSummary) : undefined,
    sentiment: row.sentiment ?? undefined,
    state: row.state as HandoffState,
    error: row.error ?? undefined,
    claimedBy: row.claimed_by
      ? { slackUserId: row.claimed_by, name: row.claimed_by_name ?? row.claimed_by }
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

export interface NewHandoff {
  id: string;
  conversationId: string;
  reason: HandoffReason;
  detail: string;
  summary: ConversationSummary;
  sentiment: number;
  assignedTo?: string[];
  topic?: string;
  now: string;
}

export async function insertHandoff(db: Db, h: NewHandoff): Promise<void> {
  await db
    .insertInto('handoffs')
    .values({
      id: h.id,
      conversation_id: h.conversationId,
      reason: h.reason,
      detail: h.detail,
      summary: JSON.stringify(h.summary),
      sentiment: h.sentiment,
      state: 'pending',
      error: null,
      claimed_by: null,
      claimed_by_name: null,
      triggered_at: h.now,
      claimed_at: null,
      first_reply_at: null,
      resolved_at: null,
      resolved_by: null,
      assigned_to: h.assignedTo && h.assignedTo.length > 0 ? h.assignedTo.join(',') : null,
      topic: h.topic ?? null,
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

/** Posted cards nobody has claimed yet, oldest first: the escalation candidates. */
export async function listUnclaimed(db: Db): Promise<Handoff[]> {
  const rows = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('claimed_by', 'is', null)
    .where('resolved_at', 'is', null)
    .where('state', '=', 'posted')
    .orderBy('triggered_at', 'asc')
    .execute();
  return Promise.all(rows.map((r) => withCard(db, r) as Promise<Handoff>));
}

async function withCard(db: Db, row: HandoffRow | undefined): Promise<Handoff | undefined> {
  if (!row) return undefined;
  const card = await db
    .selectFrom('slack_threads')
    .select(['channel', 'thread_ts'])
    .where('handoff_id', '=', row.id)
    .executeTakeFirst();
  return toHandoff(row, card);
}

export async function findHandoff(db: Db, id: string): Promise<Handoff | undefined> {
  return withCard(db, await db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst());
}

/** The newest handoff of a conversation (the one its live thread belongs to). */
export async function findLatestHandoff(db: Db, conversationId: string): Promise<Handoff | undefined> {
  const row = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('triggered_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return withCard(db, row);
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

export async function recordCardPosted(db: Db, h: Handoff, channel: string, ts: string, now: string) {
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
export async function claimHandoff(
  db: Db,
  id: string,
  agent: { slackUserId: string; name: string },
  now: string,
) {
  const result = await db
    .updateTable('handoffs')
    .set({ claimed_by: agent.slackUserId, claimed_by_name: agent.name, claimed_at: now, state: 'claimed' })
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

export async function resolveHandoff(db: Db, id: string, by: string, now: string) {
  const result = await db
    .updateTable('handoffs')
    .set({ resolved_at: now, resolved_by: by, state: 'resolved' })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Open (unresolved) handoffs an agent has claimed, optionally for one conversation. */
export async function findOpenClaimedBy(db: Db, slackUserId: string, conversationId?: string) {
  let query = db
    .selectFrom('handoffs')
    .select(['id', 'conversation_id'])
    .where('claimed_by', '=', slackUserId)
    .where('resolved_at', 'is', null);
  if (conversationId) query = query.where('conversation_id', '=', conversationId);
  const rows = await query.execute();
  return rows.map((r) => ({ handoffId: r.id, conversationId: r.conversation_id }));
}

/** Handoffs not yet resolved, newest first, for the App Home list. */
export async function listOpenHandoffs(db: Db, limit = 20): Promise<Handoff[]> {
  const rows = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('resolved_at', 'is', null)
    .orderBy('triggered_at', 'desc')
    .limit(limit)
    .execute();
  return Promise.all(rows.map((r) => withCard(db, r) as Promise<Handoff>));
}

/** Hands a claimed conversation to another agent; marks it transferred for the resolution metric. */
export async function reassignHandoff(db: Db, id: string, agent: { slackUserId: string; name: string }) {
  const result = await db
    .updateTable('handoffs')
    .set({ claimed_by: agent.slackUserId, claimed_by_name: agent.name, transferred: 1 })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Closes a handoff because it moved to another team's channel. */
export async function closeTransferred(db: Db, id: string, by: string, now: string) {
  const result = await db
    .updateTable('handoffs')
    .set({ resolved_at: now, resolved_by: by, transferred: 1, state: 'resolved' })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
