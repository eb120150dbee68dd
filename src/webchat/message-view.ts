import type { Conversation, Message } from '../conversation/conversation.js';
import type { Db } from '../storage/database.js';
import { findLatestHandoff } from '../handoff/handoff-repository.js';

/** What the customer sees of an agent: the name and, when Slack has an accepted one, the picture. */
function agentView(a: { name: string; avatarUrl?: string }) {
  return { name: a.name, ...(a.avatarUrl ? { avatarUrl: a.avatarUrl } : {}) };
}

/** The public shape of a message (docs/api.md). Internal fields (confidence, Slack ts) stay inside. */
export function messageView(m: Message) {
  return {
    id: m.id,
    seq: m.seq,
    author: m.author,
    text: m.deletedAt ? '' : m.text,
    createdAt: m.createdAt,
    ...(m.clientMessageId ? { clientMessageId: m.clientMessageId } : {}),
    ...(m.agent ? { agent: agentView(m.agent) } : {}),
    ...(m.articles && m.articles.length > 0 ? { articles: m.articles } : {}),
    ...(m.editedAt ? { editedAt: m.editedAt } : {}),
    ...(m.deletedAt ? { deleted: true } : {}),
  };
}

export async function conversationView(db: Db, c: Conversation) {
  const handoff = c.status === 'claimed' ? await findLatestHandoff(db, c.id) : undefined;
  return {
    id: c.id,
    status: c.status,
    ...(handoff?.claimedBy ? { agent: agentView(handoff.claimedBy) } : {}),
  };
}
