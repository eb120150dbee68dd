import { applyEvent } from '../conversation/apply-event.js';
import { editMessage, findBySlackTs, markDeleted } from '../conversation/message-repository.js';
import type { ServiceDeps } from '../ports.js';
import { cardPostPending } from '../storage/card-post-pending.js';
import { markEventProcessed } from '../storage/processed-events-repository.js';
import { isInternalNote } from './handoff.js';
import { findHandoffByThread } from './handoff-repository.js';
import { trackReply } from './delivery-marks-repository.js';

export { isInternalNote };

export type ThreadMessage = {
  eventId: string;
  channel: string;
  threadTs: string;
  ts: string;
  userId: string;
  text: string;
  /** The thread's first message was posted by Baton (Slack's `parent_user_id` is Baton's bot user). */
  rootByBaton: boolean;
};

/** `card_pending`: the thread may be a card whose post Baton has not recorded yet (card-post-pending.ts). */
export type RelayOutcome =
  'relayed' | 'duplicate' | 'not_ours' | 'card_pending' | 'internal' | 'not_claimer' | 'closed';

/**
 * A reply in a handoff thread. Only the claiming agent's non-note replies reach the customer.
 * The dedupe mark and the stored message commit together, so a redelivered event relays once
 * and a crash before commit lets Slack's retry try again.
 */
export async function relayAgentReply(
  deps: ServiceDeps,
  input: ThreadMessage & { plainText: string },
): Promise<RelayOutcome> {
  const handoff = await findHandoffByThread(deps.db, input.channel, input.threadTs);
  if (!handoff)
    return input.rootByBaton && (await cardPostPending(deps.db, input.channel, input.threadTs))
      ? 'card_pending'
      : 'not_ours';
  if (isInternalNote(input.text)) return 'internal';
  const now = deps.now().toISOString();
  const messageId = deps.ids.messageId();
  const applied = await applyEvent(
    deps,
    { conversationId: handoff.conversationId, handoffId: handoff.id },
    {
      kind: 'agent_reply',
      agent: { slackUserId: input.userId, name: handoff.claimedBy?.name ?? '' },
      messageId,
      text: input.plainText,
      slackTs: input.ts,
    },
    {
      guard: async (trx) => {
        const fresh =
          (await markEventProcessed(trx, input.eventId, now)) &&
          !(await findBySlackTs(trx, handoff.conversationId, input.ts));
        // Its delivery marks are followed from the same commit as the reply: the customer's page may
        // report it received before another commit would land. (A refused reply leaves an unused row.)
        if (fresh)
          await trackReply(trx, {
            messageId,
            conversationId: handoff.conversationId,
            channel: input.channel,
            threadTs: input.threadTs,
            ts: input.ts,
            createdAt: now,
          });
        return fresh;
      },
    },
  );
  if (applied.ok) return 'relayed';
  const { code } = applied.refusal;
  if (code === 'duplicate') return 'duplicate';
  return code === 'not_claimed' || code === 'not_yours' ? 'not_claimer' : 'closed';
}

export async function editAgentReply(
  deps: ServiceDeps,
  input: { channel: string; threadTs: string; ts: string; userId: string; plainText: string },
): Promise<boolean> {
  const handoff = await findHandoffByThread(deps.db, input.channel, input.threadTs);
  if (!handoff) return false;
  const message = await findBySlackTs(deps.db, handoff.conversationId, input.ts);
  if (message?.author !== 'agent' || message.agent?.slackUserId !== input.userId) return false;
  if (message.text === input.plainText || message.deletedAt) return false;
  const now = deps.now().toISOString();
  if (isInternalNote(input.plainText)) {
    // Turned into a private note after the fact: take it back from the customer rather than relay the note.
    await markDeleted(deps.db, message, now);
    deps.live.message(handoff.conversationId, { ...message, text: '', deletedAt: now });
    return true;
  }
  await editMessage(deps.db, message, input.plainText, now);
  deps.live.message(handoff.conversationId, { ...message, text: input.plainText, editedAt: now });
  return true;
}

export async function deleteAgentReply(
  deps: ServiceDeps,
  input: { channel: string; threadTs: string; ts: string },
) {
  const handoff = await findHandoffByThread(deps.db, input.channel, input.threadTs);
  if (!handoff) return false;
  const message = await findBySlackTs(deps.db, handoff.conversationId, input.ts);
  if (message?.author !== 'agent' || message.deletedAt) return false;
  const now = deps.now().toISOString();
  await markDeleted(deps.db, message, now);
  deps.live.message(handoff.conversationId, { ...message, text: '', deletedAt: now });
  return true;
}
