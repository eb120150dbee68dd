import { updateStatus } from '../adapters/storage/conversation-repository.js';
import { insertHandoff } from '../adapters/storage/handoff-repository.js';
import { listMessages } from '../adapters/storage/message-repository.js';
import { enqueueOutbox } from '../adapters/storage/outbox-repository.js';
import type { TranscriptLine } from '../domain/assistant.js';
import { transition } from '../domain/conversation.js';
import type { HandoffReason } from '../domain/triggers.js';
import { appendMessage, requireConversation } from './customer-messages.js';
import type { ServiceDeps } from './deps.js';

export const HANDOFF_NOTICE =
  "I'm bringing in a person from our support team. They'll see this whole conversation, so you won't need to repeat anything.";

export async function transcriptOf(
  deps: Pick<ServiceDeps, 'db'>,
  conversationId: string,
): Promise<TranscriptLine[]> {
  const messages = await listMessages(deps.db, conversationId, 0, 1000);
  return messages.filter((m) => !m.deletedAt).map((m) => ({ author: m.author, text: m.text }));
}

/**
 * Hands the conversation to people: the customer is told at once, the status becomes `waiting`,
 * and the card is queued for Slack in the same transaction, so a crash cannot leave a customer
 * told "a person is joining" with no card on its way.
 */
export async function fireHandoff(
  deps: ServiceDeps,
  input: { conversationId: string; reason: HandoffReason; detail: string; sentiment?: number },
): Promise<{ fired: boolean }> {
  const conversation = await requireConversation(deps, input.conversationId);
  const step = transition(conversation.status, { kind: 'handoff_fired', agentsAvailable: true });
  if (!step.ok || !step.changed) return { fired: false };

  const summary = await deps.assistant.summarize({ history: await transcriptOf(deps, conversation.id) });
  const now = deps.now().toISOString();
  const handoffId = deps.ids.handoffId();
  const fired = await deps.db.transaction().execute(async (trx) => {
    const moved = await updateStatus(trx, conversation.id, [conversation.status], step.status, now);
    if (!moved) return false;
    await insertHandoff(trx, {
      id: handoffId,
      conversationId: conversation.id,
      reason: input.reason,
      detail: input.detail,
      summary,
      sentiment: input.sentiment ?? 0,
      now,
    });
    await enqueueOutbox(trx, {
      channel: deps.handoffChannel,
      kind: 'handoff_card',
      conversationId: conversation.id,
      handoffId,
      now,
    });
    return true;
  });
  if (!fired) return { fired: false };
  deps.log.info({ conversationId: conversation.id, handoffId, reason: input.reason }, 'handoff fired');
  await appendMessage(deps, { conversationId: conversation.id, author: 'system', text: HANDOFF_NOTICE });
  deps.live.status(conversation.id, step.status);
  deps.kickOutbox();
  return { fired: true };
}
