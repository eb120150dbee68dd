import type { ConversationRecord, HandoffRecord, MessageRecord, MetricsRecords, Period } from './metrics.js';
import type { Db } from '../storage/database.js';

/**
 * Read-only queries behind the desk metrics. Loads only what the metrics use: conversation ids
 * created in the period, handoffs triggered in it (with their conversation's CSAT) and the
 * customer/bot messages of those handed-off conversations — never the whole messages table.
 */

export async function loadConversationsCreated(db: Db, period: Period): Promise<ConversationRecord[]> {
  const rows = await db
    .selectFrom('conversations')
    .select(['id', 'created_at'])
    .where('created_at', '>=', period.start)
    .where('created_at', '<', period.end)
    .execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at }));
}

export async function loadHandoffsTriggered(db: Db, period: Period): Promise<HandoffRecord[]> {
  const rows = await db
    .selectFrom('handoffs')
    .innerJoin('conversations', 'conversations.id', 'handoffs.conversation_id')
    .select([
      'handoffs.id',
      'handoffs.conversation_id',
      'handoffs.reason',
      'handoffs.triggered_at',
      'handoffs.first_reply_at',
      'handoffs.resolved_at',
      'handoffs.transferred',
      'handoffs.topic',
      'conversations.csat_score',
    ])
    .where('handoffs.triggered_at', '>=', period.start)
    .where('handoffs.triggered_at', '<', period.end)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    conversationId: r.conversation_id,
    reason: r.reason,
    triggeredAt: r.triggered_at,
    firstReplyAt: r.first_reply_at ?? undefined,
    resolvedAt: r.resolved_at ?? undefined,
    transferred: r.transferred === 1,
    topic: r.topic ?? undefined,
    csatScore: r.csat_score ?? undefined,
  }));
}

/** Customer and bot messages (not deleted, created before the period's end) of handed-off conversations. */
export async function loadHandedOffMessages(db: Db, period: Period): Promise<MessageRecord[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['conversation_id', 'seq', 'author', 'text', 'confidence', 'created_at'])
    .where('conversation_id', 'in', (qb) =>
      qb
        .selectFrom('handoffs')
        .select('handoffs.conversation_id')
        .where('handoffs.triggered_at', '>=', period.start)
        .where('handoffs.triggered_at', '<', period.end),
    )
    .where('author', 'in', ['customer', 'bot'])
    .where('deleted_at', 'is', null)
    .where('created_at', '<', period.end)
    .orderBy('conversation_id')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    conversationId: r.conversation_id,
    seq: r.seq,
    author: r.author,
    text: r.text,
    confidence: r.confidence ?? undefined,
    createdAt: r.created_at,
  }));
}

export async function loadMetricsRecords(db: Db, period: Period): Promise<MetricsRecords> {
  const [conversations, handoffs, messages] = await Promise.all([
    loadConversationsCreated(db, period),
    loadHandoffsTriggered(db, period),
    loadHandedOffMessages(db, period),
  ]);
  return { conversations, handoffs, messages };
}
