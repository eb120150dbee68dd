import { applyEvent } from '../conversation/apply-event.js';
import { CUSTOMER_NOTICES } from '../conversation/customer-notices.js';
import type { ServiceDeps } from '../ports.js';
import { enqueueOutbox } from '../storage/outbox-repository.js';
import { agentStates } from './handoff-plan.js';
import type { Handoff } from './handoff.js';
import { listUnclaimed } from './handoff-lists.js';
import { MAX_ESCALATION } from '../conversation/lifecycle.js';
import { routeHandoff } from './routing.js';

export const SLOW_NOTICE = CUSTOMER_NOTICES.slow;

/**
 * What escalation remembers between runs (for as long as the scheduler lives): when each channel was
 * last called with @here, and the cards there still waiting for such a call.
 */
export interface EscalationMemory {
  lastHere: Map<string, number>;
  waiting: Map<string, Set<string>>;
}

export function createEscalationMemory(): EscalationMemory {
  return { lastHere: new Map(), waiting: new Map() };
}

/**
 * Unclaimed cards escalate in steps of `minutes`: first the next available agent is mentioned
 * (and the customer is told honestly that it is taking longer), then the whole channel with @here.
 * Queued (offline) conversations wait for the follow-up instead and are not escalated (the lifecycle refuses).
 *
 * A channel is called with @here at most once per `minutes`, however many cards need it: one card gets
 * the @here in its own thread; several get one channel message that counts them (and quiet notices in
 * their threads). A card whose turn comes while the channel was just called waits for the next call, so
 * a flood of handoffs cannot page everyone again and again, nor silence a real customer's card.
 */
export async function escalateUnclaimed(
  deps: ServiceDeps,
  minutes: number,
  memory: EscalationMemory = createEscalationMemory(),
): Promise<number> {
  const now = deps.now().getTime();
  const unclaimed = await listUnclaimed(deps.db);
  let escalated = 0;
  const callsFor = new Map<string, Handoff[]>();
  for (const handoff of unclaimed) {
    if (!handoff.card || handoff.escalationLevel >= MAX_ESCALATION) continue;
    const waitedMin = (now - Date.parse(handoff.triggeredAt)) / 60_000;
    if (waitedMin < minutes * (handoff.escalationLevel + 1)) continue;
    const mention = handoff.escalationLevel === 0 ? await nextAgents(deps, handoff) : [];
    if (mention.length > 0) {
      if (await escalate(deps, handoff, waitedMin, mention, false)) escalated += 1;
    } else {
      const list = callsFor.get(handoff.card.channel) ?? [];
      callsFor.set(handoff.card.channel, [...list, handoff]);
    }
  }

  const stillWaiting = new Set(unclaimed.map((h) => h.id));
  const channels = new Set([...callsFor.keys(), ...memory.waiting.keys()]);
  for (const channel of channels) {
    const fresh = callsFor.get(channel) ?? [];
    const carried = [...(memory.waiting.get(channel) ?? [])].filter((id) => stillWaiting.has(id));
    const pending = new Set([...carried, ...fresh.map((h) => h.id)]);
    const mayCall = now - (memory.lastHere.get(channel) ?? -Infinity) >= minutes * 60_000;
    const alone = mayCall && pending.size === 1 && fresh.length === 1;
    for (const handoff of fresh) {
      const waitedMin = (now - Date.parse(handoff.triggeredAt)) / 60_000;
      if (await escalate(deps, handoff, waitedMin, [], alone)) escalated += 1;
    }
    if (mayCall && !alone && pending.size > 0) {
      const who = pending.size === 1 ? '1 customer has' : `${pending.size} customers have`;
      const text = `:rotating_light: <!here> ${who} waited over ${minutes} min without an agent. Their cards here are marked :rotating_light: escalated. Can someone claim one?`;
      await enqueueOutbox(deps.db, { kind: 'channel_notice', channel, text }, deps.now().toISOString());
      deps.kickOutbox();
    }
    if (mayCall && pending.size > 0) {
      memory.lastHere.set(channel, now);
      memory.waiting.delete(channel);
    } else if (pending.size > 0) memory.waiting.set(channel, pending);
    else memory.waiting.delete(channel);
  }
  return escalated;
}

/** Who to mention first: the next agent routing would pick, leaving out those already notified. */
async function nextAgents(deps: ServiceDeps, handoff: Handoff): Promise<string[]> {
  const settings = await deps.settings();
  const decision = routeHandoff(settings.routing, await agentStates(deps, handoff.card!.channel), {
    topic: handoff.topic,
    exclude: handoff.assignedTo,
  });
  return decision.kind === 'assign'
    ? [decision.agentId]
    : decision.kind === 'broadcast'
      ? decision.agentIds
      : [];
}

async function escalate(
  deps: ServiceDeps,
  handoff: Handoff,
  waitedMin: number,
  mention: string[],
  here: boolean,
) {
  const waited = Math.floor(waitedMin);
  const applied = await applyEvent(
    deps,
    { conversationId: handoff.conversationId, handoffId: handoff.id },
    { kind: 'escalate', waitedMinutes: waited, mention, here },
  );
  if (!applied.ok) return false;
  deps.log.warn(
    {
      conversationId: handoff.conversationId,
      handoffId: handoff.id,
      level: handoff.escalationLevel + 1,
      waitedMin: waited,
      here,
    },
    'handoff escalated',
  );
  return true;
}
