import type { AgentRef } from '../handoff/handoff.js';
import type { ConversationStatus } from './conversation.js';
import { joinNotice } from './customer-notices.js';
import type { LifecycleEffect, NewHandoff } from './effects.js';
import type {
  HandoffFacts,
  LifecycleContext,
  LifecycleEvent,
  LifecycleState,
  Refusal,
  Step,
} from './lifecycle-types.js';

/** The steps and effect lists `transition` (lifecycle.ts) is made of. Pure, like it. */

export const step = (status: ConversationStatus, effects: LifecycleEffect[] = []): Step => ({
  ok: true,
  status,
  effects,
});
export const refuse = (refusal: Refusal): Step => ({ ok: false, refusal });

/** Transfers are for the agent who has the conversation, or an admin. */
export function mayAct(handoff: HandoffFacts, actor: string, asAdmin: boolean): boolean {
  return asAdmin || handoff.claimedBy?.slackUserId === actor;
}

export function openHandoff(handoff: NewHandoff): Extract<Step, { ok: true }> {
  const effects: LifecycleEffect[] = [
    { kind: 'open_handoff', handoff },
    { kind: 'post_card', handoffId: handoff.id, channel: handoff.channel },
  ];
  // Round robin remembers who got the last one; a broadcast assigns nobody in particular.
  if (handoff.assignedTo.length === 1)
    effects.push({ kind: 'mark_assigned', agentId: handoff.assignedTo[0]! });
  if (handoff.notice) effects.push({ kind: 'customer_notice', notice: 'handoff', text: handoff.notice });
  const status = handoff.agentsAvailable ? 'waiting' : 'queued';
  effects.push({ kind: 'live_status', status });
  return { ok: true, status, effects };
}

/** The customer's header: who has joined, with their picture when there is one. */
export function joinedStatus(agent: AgentRef): LifecycleEffect {
  return {
    kind: 'live_status',
    status: 'claimed',
    agentName: agent.name,
    ...(agent.avatarUrl ? { agentAvatarUrl: agent.avatarUrl } : {}),
  };
}

export function claimEffects(
  handoffId: string,
  channel: string,
  agent: AgentRef,
  context: LifecycleContext,
): LifecycleEffect[] {
  // Claim, status and the customer's "has joined" line commit together: the customer is never left unaware.
  // The thread says who has it and how to reply: a message that lasts, unlike a private ephemeral.
  return [
    { kind: 'claim_handoff', handoffId, agent },
    { kind: 'add_participant', agent },
    { kind: 'customer_notice', notice: 'join', text: joinNotice(context.joinTemplate, agent.name) },
    joinedStatus(agent),
    { kind: 'thread_notice', handoffId, channel, notice: { notice: 'claimed', agentId: agent.slackUserId } },
  ];
}

export function agentReply(
  state: LifecycleState,
  event: Extract<LifecycleEvent, { kind: 'agent_reply' }>,
  context: LifecycleContext,
): Step {
  const { handoff, status } = state;
  if (!handoff) return refuse({ code: 'no_handoff' });
  // Teammates talk in the thread too: only the claimer's words are a reply, so who speaks is checked
  // first, and only the claimer hears that the conversation is closed.
  if (!handoff.claimedBy) return refuse({ code: 'not_claimed' });
  if (handoff.claimedBy.slackUserId !== event.agent.slackUserId)
    return refuse({ code: 'not_yours', by: handoff.claimedBy });
  if (handoff.resolved || status !== 'claimed') return refuse({ code: 'closed' });
  const effects: LifecycleEffect[] = [
    {
      kind: 'agent_message',
      messageId: event.messageId,
      agent: handoff.claimedBy,
      text: event.text,
      slackTs: event.slackTs,
    },
    { kind: 'record_first_reply', handoffId: handoff.id },
  ];
  // Not in the chat but left an address: the reply also goes by email (the chat keeps it too).
  if (state.followUpTo && context.canEmail && !context.customerWatching)
    effects.push({
      kind: 'email_follow_up',
      to: state.followUpTo,
      messageId: event.messageId,
      agentName: handoff.claimedBy.name,
      text: event.text,
    });
  // Sent from the copilot, not typed in the thread: show the team what went out.
  if (event.copilot)
    effects.push(
      ...threadNotice(handoff, {
        notice: 'agent_sent',
        by: handoff.claimedBy.name,
        text: event.text,
        messageId: event.messageId,
      }),
    );
  return step('claimed', effects);
}

/** The card is only updated once it exists; one still queued is rendered fresh when it is posted. */
export function cardUpdate(handoff: HandoffFacts | undefined): LifecycleEffect[] {
  return handoff ? [{ kind: 'update_card', handoffId: handoff.id, channel: handoff.channel }] : [];
}

export function threadNotice(
  handoff: HandoffFacts | undefined,
  notice: Extract<LifecycleEffect, { kind: 'thread_notice' }>['notice'],
): LifecycleEffect[] {
  return handoff ? [{ kind: 'thread_notice', handoffId: handoff.id, channel: handoff.channel, notice }] : [];
}
