import { listUnclaimed, setEscalationLevel } from './handoff-repository.js';
import { routeHandoff } from './routing.js';
import { queueCardUpdate, queueThreadNotice } from './agent-actions.js';
import { appendMessage, requireConversation } from '../conversation/messages.js';
import type { ServiceDeps } from '../ports.js';
import { agentStates } from './handoff-plan.js';

export const SLOW_NOTICE =
  "Sorry for the wait: it's taking longer than usual to reach someone. You haven't been forgotten, and you can keep writing here.";

/**
 * Unclaimed cards escalate in steps of `minutes`: first the next available agent is mentioned
 * (and the customer is told honestly that it is taking longer), then the whole channel with @here.
 * Queued (offline) conversations wait for the follow-up instead and are not escalated.
 */
export async function escalateUnclaimed(deps: ServiceDeps, minutes: number): Promise<number> {
  const now = deps.now().getTime();
  let escalated = 0;
  for (const handoff of await listUnclaimed(deps.db)) {
    if (!handoff.card || handoff.escalationLevel >= 2) continue;
    const conversation = await requireConversation(deps, handoff.conversationId);
    if (conversation.status !== 'waiting') continue;
    const waitedMin = (now - Date.parse(handoff.triggeredAt)) / 60_000;
    if (waitedMin < minutes * (handoff.escalationLevel + 1)) continue;
    const level = handoff.escalationLevel + 1;
    if (!(await setEscalationLevel(deps.db, handoff.id, handoff.escalationLevel, level))) continue;
    // The card shows it was escalated (queueThreadNotice below wakes the outbox).
    await queueCardUpdate(deps, handoff);
    const waited = Math.floor(waitedMin);
    if (level === 1) {
      const settings = await deps.settings();
      const decision = routeHandoff(settings.routing, await agentStates(deps, handoff.card.channel), {
        topic: handoff.topic,
        exclude: handoff.assignedTo,
      });
      const next =
        decision.kind === 'assign'
          ? [decision.agentId]
          : decision.kind === 'broadcast'
            ? decision.agentIds
            : [];
      await queueThreadNotice(deps, handoff, {
        notice: 'escalated',
        level,
        waitedMinutes: waited,
        mention: next,
      });
      await appendMessage(deps, { conversationId: conversation.id, author: 'system', text: SLOW_NOTICE });
    } else {
      await queueThreadNotice(deps, handoff, {
        notice: 'escalated',
        level,
        waitedMinutes: waited,
        mention: [],
      });
    }
    deps.log.warn(
      { conversationId: conversation.id, handoffId: handoff.id, level, waitedMin: waited },
      'handoff escalated',
    );
    escalated += 1;
  }
  return escalated;
}
