import { updateStatus } from '../conversation/conversation-repository.js';
import { closeTransferred, findHandoff, insertHandoff, reassignHandoff } from './handoff-repository.js';
import { enqueueOutbox } from '../storage/outbox-repository.js';
import { queueCardUpdate } from './agent-actions.js';
import { appendMessage } from '../conversation/messages.js';
import type { ServiceDeps } from '../ports.js';

export type TransferResult = { kind: 'transferred'; to: string } | { kind: 'refused'; why: string };

/** Another agent takes over a claimed conversation; the customer is told who joined. */
export async function transferToAgent(
  deps: ServiceDeps,
  handoffId: string,
  targetUserId: string,
): Promise<TransferResult> {
  const handoff = await findHandoff(deps.db, handoffId);
  if (!handoff?.claimedBy || handoff.resolvedAt)
    return { kind: 'refused', why: 'Only a claimed, open conversation can be transferred.' };
  if (handoff.claimedBy.slackUserId === targetUserId)
    return { kind: 'refused', why: 'That agent already has this conversation.' };
  const name = await deps.agents.displayName(targetUserId);
  if (!(await reassignHandoff(deps.db, handoff.id, { slackUserId: targetUserId, name }))) {
    return { kind: 'refused', why: 'The conversation was resolved in the meantime.' };
  }
  const join = (await deps.settings()).messages.join.replaceAll('{agent}', name);
  await appendMessage(deps, { conversationId: handoff.conversationId, author: 'system', text: join });
  deps.live.status(handoff.conversationId, 'claimed', { name });
  await queueCardUpdate(deps, (await findHandoff(deps.db, handoff.id)) ?? handoff);
  deps.kickOutbox();
  return { kind: 'transferred', to: name };
}

/** Moves the conversation to another team's channel: a fresh card there, this one closed as transferred. */
export async function transferToChannel(
  deps: ServiceDeps,
  handoffId: string,
  actorUserId: string,
  channel: string,
): Promise<TransferResult> {
  const handoff = await findHandoff(deps.db, handoffId);
  if (!handoff || handoff.resolvedAt) return { kind: 'refused', why: 'This conversation is already closed.' };
  if (handoff.card?.channel === channel)
    return { kind: 'refused', why: 'The conversation is already in that channel.' };
  const now = deps.now().toISOString();
  const moved = await deps.db.transaction().execute(async (trx) => {
    if (!(await closeTransferred(trx, handoff.id, actorUserId, now))) return false;
    await updateStatus(trx, handoff.conversationId, ['claimed', 'waiting', 'queued'], 'waiting', now);
    const next = deps.ids.handoffId();
    await insertHandoff(trx, {
      id: next,
      conversationId: handoff.conversationId,
      reason: handoff.reason,
      detail: `transferred by <@${actorUserId}>`.replace(/[<>@]/g, ''),
      summary: handoff.summary ?? {
        issue: '',
        facts: { orderNumbers: [], emails: [], phoneNumbers: [], amounts: [] },
        tried: [],
      },
      sentiment: handoff.sentiment ?? 0,
      topic: handoff.topic,
      now,
    });
    await enqueueOutbox(trx, {
      channel,
      kind: 'handoff_card',
      conversationId: handoff.conversationId,
      handoffId: next,
      now,
    });
    return true;
  });
  if (!moved) return { kind: 'refused', why: 'The conversation was resolved in the meantime.' };
  await appendMessage(deps, {
    conversationId: handoff.conversationId,
    author: 'system',
    text: "I'm passing your conversation to the team that handles this. They'll see everything so far.",
  });
  deps.live.status(handoff.conversationId, 'waiting');
  await queueCardUpdate(deps, (await findHandoff(deps.db, handoff.id)) ?? handoff);
  deps.kickOutbox();
  return { kind: 'transferred', to: `<#${channel}>` };
}
