import { type Applied, applyEvent } from '../conversation/apply-event.js';
import type { TranscriptLine } from '../conversation/assistant.js';
import type { Conversation } from '../conversation/conversation.js';
import { requireConversation } from '../conversation/conversation-repository.js';
import type { NewHandoff } from '../conversation/effects.js';
import { opensHandoff } from '../conversation/lifecycle.js';
import { listRecentMessages } from '../conversation/message-repository.js';
import { describeHours } from '../desk/business-hours.js';
import type { DeskSettings } from '../desk/desk-settings.js';
import type { ServiceDeps } from '../ports.js';
import { type HandoffPlan, planHandoff, routeChannel } from './handoff-plan.js';
import type { HandoffReason } from './triggers.js';

export async function transcriptOf(
  deps: Pick<ServiceDeps, 'db'>,
  conversationId: string,
): Promise<TranscriptLine[]> {
  const messages = await listRecentMessages(deps.db, conversationId, 200);
  return messages.filter((m) => !m.deletedAt).map((m) => ({ author: m.author, text: m.text }));
}

/**
 * What the customer is told at once: that a person is coming, or about the follow-up. How long it may
 * take is not frozen into this message: the chat shows it live while the customer waits (wait-service).
 */
export function handoffNotice(plan: HandoffPlan): string {
  const { messages, hours } = plan.settings;
  if (plan.decision.kind === 'nobody') {
    return plan.open ? messages.offline : `${messages.offline} Our hours: ${describeHours(hours)}.`;
  }
  return messages.handoff;
}

export interface HandoffInput {
  reason: HandoffReason;
  detail: string;
  sentiment?: number;
  /** What the triggering message is about; the conversation's summary decides otherwise. */
  topic?: string;
}

/**
 * Everything about a handoff that needs the outside world (the summary from the assistant, routing from
 * Slack presence), gathered before the lifecycle step so the step itself stays a quick transaction.
 */
export async function prepareHandoff(
  deps: ServiceDeps,
  conversation: Conversation,
  input: HandoffInput,
  settings?: DeskSettings,
): Promise<NewHandoff> {
  const summary = await deps.assistant.summarize({ history: await transcriptOf(deps, conversation.id) });
  const topic = input.topic ?? summary.topic;
  const base = {
    id: deps.ids.handoffId(),
    reason: input.reason,
    detail: input.detail,
    summary,
    sentiment: input.sentiment ?? 0,
    topic,
  };
  // An agent taking over is by definition available, whatever routing or the hours say.
  if (input.reason === 'agent_takeover') {
    const channel = routeChannel(deps, settings ?? (await deps.settings()), conversation, topic);
    return { ...base, channel, assignedTo: [], agentsAvailable: true };
  }
  const plan = await planHandoff(deps, conversation, topic, settings);
  const { decision } = plan;
  return {
    ...base,
    channel: plan.channel,
    assignedTo:
      decision.kind === 'assign'
        ? [decision.agentId]
        : decision.kind === 'broadcast'
          ? decision.agentIds
          : [],
    ...(decision.kind === 'assign' ? { assignedAgent: decision.agentId } : {}),
    agentsAvailable: decision.kind !== 'nobody',
    notice: handoffNotice(plan),
  };
}

/**
 * Hands the conversation to people: a trigger the assistant saw, or the customer's own request.
 * The status becomes `waiting` when someone can take it, or `queued` (follow-up by email) when no one can;
 * the card, the customer's notice and the status commit together (see the lifecycle's effects).
 */
export async function fireHandoff(
  deps: ServiceDeps,
  conversationId: string,
  kind: 'trigger' | 'request',
  input: HandoffInput,
  settings?: DeskSettings,
): Promise<Applied | { ok: false }> {
  const conversation = await requireConversation(deps.db, conversationId);
  // Nothing to prepare for a step the lifecycle would not take (already with people).
  if (!opensHandoff(conversation.status, kind)) return { ok: false };
  const handoff = await prepareHandoff(deps, conversation, input, settings);
  const applied = await applyEvent(deps, { conversationId }, { kind, handoff });
  if (applied.ok)
    deps.log.info(
      {
        conversationId,
        handoffId: handoff.id,
        reason: input.reason,
        assigned: handoff.assignedTo.length,
        agentsAvailable: handoff.agentsAvailable,
        channel: handoff.channel,
      },
      'handoff fired',
    );
  return applied;
}
