import { applyEvent } from '../conversation/apply-event.js';
import { trackReply } from './delivery-marks-repository.js';
import { findHandoff } from './handoff-repository.js';
import { listRecentMessages } from '../conversation/message-repository.js';
import {
  decideSuggestion,
  reopenSuggestion,
  findSuggestion,
  insertSuggestion,
  type Suggestion,
} from './suggestion-repository.js';
import type { ServiceDeps } from '../ports.js';
import { enqueueOutbox } from '../storage/outbox-repository.js';

/**
 * The agent's copilot: after a claim, a suggested reply only the claiming agent sees (by direct message,
 * through the outbox). Nothing reaches
 * the customer until that agent sends it; the assistant never speaks on its own once a person has claimed.
 */
export async function offerSuggestion(
  deps: ServiceDeps,
  handoffId: string,
  agentUserId: string,
): Promise<Suggestion | undefined> {
  const handoff = await findHandoff(deps.db, handoffId);
  if (!handoff || handoff.claimedBy?.slackUserId !== agentUserId) return undefined;
  const messages = (await listRecentMessages(deps.db, handoff.conversationId, 200)).filter(
    (m) => !m.deletedAt,
  );
  // Answer the customer's open question: the latest of their recent messages the assistant can address,
  // skipping lines that only ask for a person.
  const candidates = messages
    .filter((m) => m.author === 'customer')
    .slice(-3)
    .reverse();
  let analysis: Awaited<ReturnType<typeof deps.assistant.analyze>> | undefined;
  for (const candidate of candidates) {
    const history = messages
      .filter((m) => m.seq < candidate.seq && m.author !== 'system')
      .map((m) => ({ author: m.author, text: m.text }));
    const result = await deps.assistant.analyze({ history, message: candidate.text });
    if (result.intents.includes('human')) continue;
    if (result.reply && result.articles.length > 0) {
      analysis = result;
      break;
    }
  }
  if (!analysis?.reply) return undefined;
  const suggestion: Omit<Suggestion, 'state'> = {
    id: `s_${deps.ids.messageId().slice(2)}`,
    handoffId,
    agentSlackId: agentUserId,
    text: analysis.reply.slice(0, 3000),
    articles: analysis.articles,
  };
  // Stored with the direct message that offers it, so a Slack outage or a crash delays it but never loses it.
  const now = deps.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await insertSuggestion(trx, suggestion, now);
    await enqueueOutbox(
      trx,
      { kind: 'copilot', channel: agentUserId, handoffId, suggestionId: suggestion.id },
      now,
    );
  });
  deps.kickOutbox();
  return { ...suggestion, state: 'offered' };
}

export type SendResult = { kind: 'sent' } | { kind: 'not_allowed'; why: string };

/** Relays text to the customer as the claiming agent, and shows it in the thread so the team sees it too. */
export async function sendAsAgent(
  deps: ServiceDeps,
  handoffId: string,
  agentUserId: string,
  text: string,
): Promise<SendResult> {
  const handoff = await findHandoff(deps.db, handoffId);
  if (!handoff) return { kind: 'not_allowed', why: 'This conversation is already resolved.' };
  const messageId = deps.ids.messageId();
  const card = handoff.card;
  const applied = await applyEvent(
    deps,
    { conversationId: handoff.conversationId, handoffId },
    {
      kind: 'agent_reply',
      agent: { slackUserId: agentUserId, name: handoff.claimedBy?.name ?? '' },
      messageId,
      text,
      copilot: true,
    },
    {
      // Its delivery marks go on the thread's "sent the suggested reply" post, whose ts is known only
      // once that post is made (card-outcomes.ts); followed from the reply's own commit all the same.
      guard: async (trx) => {
        if (card)
          await trackReply(trx, {
            messageId,
            conversationId: handoff.conversationId,
            channel: card.channel,
            threadTs: card.ts,
            ts: '',
            createdAt: deps.now().toISOString(),
          });
        return true;
      },
    },
  );
  if (applied.ok) return { kind: 'sent' };
  const { code } = applied.refusal;
  return code === 'not_claimed' || code === 'not_yours'
    ? { kind: 'not_allowed', why: 'Only the agent who claimed this conversation can reply to the customer.' }
    : { kind: 'not_allowed', why: 'This conversation is already resolved.' };
}

export async function sendSuggestion(
  deps: ServiceDeps,
  suggestionId: string,
  agentUserId: string,
  editedText?: string,
): Promise<SendResult> {
  const suggestion = await findSuggestion(deps.db, suggestionId);
  if (!suggestion || suggestion.agentSlackId !== agentUserId) {
    return { kind: 'not_allowed', why: 'This suggestion is not yours to send.' };
  }
  if (!(await decideSuggestion(deps.db, suggestion.id, 'sent', deps.now().toISOString()))) {
    return { kind: 'not_allowed', why: 'This suggestion was already sent or dismissed.' };
  }
  try {
    return await sendAsAgent(deps, suggestion.handoffId, agentUserId, (editedText ?? suggestion.text).trim());
  } catch (error) {
    // The reply was not stored (the database refused): reopen the suggestion so a retry can send it.
    await reopenSuggestion(deps.db, suggestion.id).catch(() => {});
    throw error;
  }
}

export async function dismissSuggestion(deps: ServiceDeps, suggestionId: string, agentUserId: string) {
  const suggestion = await findSuggestion(deps.db, suggestionId);
  if (!suggestion || suggestion.agentSlackId !== agentUserId) return false;
  return decideSuggestion(deps.db, suggestion.id, 'dismissed', deps.now().toISOString());
}
