import { applyEvent } from '../conversation/apply-event.js';
import { CUSTOMER_NOTICES } from '../conversation/customer-notices.js';
import type { ServiceDeps } from '../ports.js';
import { agentStates } from './handoff-plan.js';
import { listUnclaimed } from './handoff-repository.js';
import { MAX_ESCALATION } from '../conversation/lifecycle.js';
import { routeHandoff } from './routing.js';

export const SLOW_NOTICE = CUSTOMER_NOTICES.slow;

/**
 * Unclaimed cards escalate in steps of `minutes`: first the next available agent is mentioned
 * (and the customer is told honestly that it is taking longer), then the whole channel with @here.
 * Queued (offline) conversations wait for the follow-up instead and are not escalated (the lifecycle refuses).
 *
 * A channel is called with @here at most once per `minutes`: a flood of handoffs (many customers at once,
 * or one address opening many conversations) escalates each card in its thread without paging the whole
 * channel again and again. `lastHere` (channel -> time of its last @here) lives as long as the scheduler.
 */
export async function escalateUnclaimed(
  deps: ServiceDeps,
  minutes: number,
  lastHere: Map<string, number> = new Map(),
): Promise<number> {
  const now = deps.now().getTime();
  let escalated = 0;
  for (const handoff of await listUnclaimed(deps.db)) {
    if (!handoff.card || handoff.escalationLevel >= MAX_ESCALATION) continue;
    const waitedMin = (now - Date.parse(handoff.triggeredAt)) / 60_000;
    if (waitedMin < minutes * (handoff.escalationLevel + 1)) continue;
    // Who to mention first: the next agent routing would pick, leaving out those already notified.
    let mention: string[] = [];
    if (handoff.escalationLevel === 0) {
      const settings = await deps.settings();
      const decision = routeHandoff(settings.routing, await agentStates(deps, handoff.card.channel), {
        topic: handoff.topic,
        exclude: handoff.assignedTo,
      });
      mention =
        decision.kind === 'assign'
          ? [decision.agentId]
          : decision.kind === 'broadcast'
            ? decision.agentIds
            : [];
    }
    const waited = Math.floor(waitedMin);
    const channel = handoff.card.channel;
    const callsChannel = handoff.escalationLevel >= 1 || mention.length === 0;
    const here = !callsChannel || now - (lastHere.get(channel) ?? -Infinity) >= minutes * 60_000;
    const applied = await applyEvent(
      deps,
      { conversationId: handoff.conversationId, handoffId: handoff.id },
      { kind: 'escalate', waitedMinutes: waited, mention, here },
    );
    if (!applied.ok) continue;
    if (callsChannel && here) lastHere.set(channel, now);
    deps.log.warn(
      {
        conversationId: handoff.conversationId,
        handoffId: handoff.id,
        level: handoff.escalationLevel + 1,
        waitedMin: waited,
      },
      'handoff escalated',
    );
    escalated += 1;
  }
  return escalated;
}
