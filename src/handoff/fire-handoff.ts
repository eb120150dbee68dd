import { setAgentFields } from '../desk/agent-repository.js';
import { updateStatus } from '../conversation/conversation-repository.js';
import { insertHandoff } from './handoff-repository.js';
import { listRecentMessages } from '../conversation/message-repository.js';
import { enqueueOutbox } from '../storage/outbox-repository.js';
import type { TranscriptLine } from '../conversation/assistant.js';
import { describeHours } from '../desk/business-hours.js';
import { transition } from '../conversation/lifecycle.js';
import type { HandoffReason } from './triggers.js';
import { insertMessageInTransaction, requireConversation } from '../conversation/messages.js';
import type { ServiceDeps } from '../ports.js';
import { type HandoffPlan, planHandoff } from './handoff-plan.js';

export async function transcriptOf(
  deps: Pick<ServiceDeps, 'db'>,
  conversationId: string,
): Promise<TranscriptLine[]> {
  const messages = await listRecentMessages(deps.db, conversationId, 200);
  return messages.filter((m) => !m.deletedAt).map((m) => ({ author: m.author, text: m.text }));
}

/** What the customer is told at once: honest about who is coming and when, or about the follow-up. */
export function handoffNotice(plan: HandoffPlan): string {
  const { messages, hours } = plan.settings;
  if (plan.decision.kind === 'nobody') {
    return plan.open ? messages.offline : `${messages.offline} Our hours: ${describeHours(hours)}.`;
  }
  const wait = plan.waitMinutes
    ? ` Right now the wait is about ${plan.waitMinutes} minute${plan.waitMinutes === 1 ? '' : 's'}.`
    : '';
  return `${messages.handoff}${wait}`;
}

/**
 * Hands the conversation to people. The customer is told at once; the status becomes `waiting` when
 * someone can take it, or `queued` (follow-up by email) when no one can: a handoff is never announced
 * without either. The card is queued for Slack in the same transaction as the status change, so a crash
 * cannot leave a customer waiting for a card that was never going to be posted.
 */
export async function fireHandoff(
  deps: ServiceDeps,
  input: {
    conversationId: string;
    reason: HandoffReason;
    detail: string;
    sentiment?: number;
    topic?: string;
  },
): Promise<{ fired: boolean; handoffId?: string }> {
  const conversation = await requireConversation(deps, input.conversationId);
  if (conversation.status !== 'bot') return { fired: false };
  const summary = await deps.assistant.summarize({ history: await transcriptOf(deps, conversation.id) });
  // The conversation's topic, unless the triggering message itself says what it is about.
  const topic = input.topic ?? summary.topic;
  const plan = await planHandoff(deps, conversation, topic);
  // An agent taking over is by definition available, whatever routing or the hours say.
  const takeover = input.reason === 'agent_takeover';
  const step = transition(conversation.status, {
    kind: 'handoff_fired',
    agentsAvailable: takeover || plan.decision.kind !== 'nobody',
  });
  if (!step.ok || !step.changed) return { fired: false };

  const now = deps.now().toISOString();
  const handoffId = deps.ids.handoffId();
  const assigned = takeover
    ? []
    : plan.decision.kind === 'assign'
      ? [plan.decision.agentId]
      : plan.decision.kind === 'broadcast'
        ? plan.decision.agentIds
        : [];
  // Status, handoff, the card's outbox row and what the customer is told commit together.
  const fired = await deps.db.transaction().execute(async (trx) => {
    if (!(await updateStatus(trx, conversation.id, [conversation.status], step.status, now))) return false;
    await insertHandoff(trx, {
      id: handoffId,
      conversationId: conversation.id,
      reason: input.reason,
      detail: input.detail,
      summary,
      sentiment: input.sentiment ?? 0,
      assignedTo: assigned,
      topic,
      now,
    });
    if (!takeover && plan.decision.kind === 'assign')
      await setAgentFields(trx, plan.decision.agentId, { lastAssignedAt: now }, now);
    await enqueueOutbox(trx, {
      channel: plan.channel,
      kind: 'handoff_card',
      conversationId: conversation.id,
      handoffId,
      now,
    });
    // On a takeover the customer hears "Dana has joined" a moment later; no "someone is coming" first.
    const notice = takeover
      ? undefined
      : await insertMessageInTransaction(trx, deps, {
          conversationId: conversation.id,
          author: 'system',
          text: handoffNotice(plan),
        });
    return { notice };
  });
  if (!fired) return { fired: false };
  if (fired.notice) deps.live.message(conversation.id, fired.notice);
  deps.log.info(
    {
      conversationId: conversation.id,
      handoffId,
      reason: input.reason,
      routing: plan.decision.kind,
      channel: plan.channel,
    },
    'handoff fired',
  );
  deps.live.status(conversation.id, step.status);
  deps.kickOutbox();
  return { fired: true, handoffId };
}
