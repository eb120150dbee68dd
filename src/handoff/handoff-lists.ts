import type { Db } from '../storage/database.js';
import type { Handoff } from './handoff.js';
import { type HandoffRow, toHandoff } from './handoff-repository.js';

/** Lists of handoffs for the desk's views and timers: the App Home, escalation, an agent's open claims. */

/** Posted cards nobody has claimed yet whose customer is waiting (not queued for a follow-up), oldest first. */
export async function listUnclaimed(db: Db): Promise<Handoff[]> {
  const rows = await db
    .selectFrom('handoffs')
    .innerJoin('conversations', 'conversations.id', 'handoffs.conversation_id')
    .selectAll('handoffs')
    .where('handoffs.claimed_by', 'is', null)
    .where('handoffs.resolved_at', 'is', null)
    .where('handoffs.state', '=', 'posted')
    .where('conversations.status', '=', 'waiting')
    .orderBy('handoffs.triggered_at', 'asc')
    .execute();
  return Promise.all(rows.map((r) => withCard(db, r)));
}

async function withCard(db: Db, row: HandoffRow): Promise<Handoff> {
  const card = await db
    .selectFrom('slack_threads')
    .select(['channel', 'thread_ts'])
    .where('handoff_id', '=', row.id)
    .executeTakeFirst();
  return toHandoff(row, card);
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
  return Promise.all(rows.map((r) => withCard(db, r)));
}
