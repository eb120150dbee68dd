import { type ConversationStatus, relaysToSlack } from './conversation.js';
import { CUSTOMER_NOTICES, joinNotice } from './customer-notices.js';
import type { LifecycleEffect } from './effects.js';
import {
  agentReply,
  cardUpdate,
  claimEffects,
  joinedStatus,
  mayAct,
  openHandoff,
  refuse,
  step,
  threadNotice,
} from './lifecycle-steps.js';
import type {
  HandoffFacts,
  LifecycleContext,
  LifecycleEvent,
  LifecycleState,
  Refusal,
  Step,
} from './lifecycle-types.js';

export type * from './lifecycle-types.js';

/**
 * Whether an event may open a handoff from this status: the assistant's trigger and an agent's takeover
 * only while the assistant has the chat; the customer's request also after a resolution (a new round).
 * Services ask before preparing a handoff (a summary, Slack lookups) that would only be refused.
 */
export function opensHandoff(status: ConversationStatus, kind: 'trigger' | 'request' | 'takeover'): boolean {
  return status === 'bot' || (kind === 'request' && status === 'resolved');
}

/** Why a claim is refused, if it is; the claim service asks first so a settled click needs no Slack lookup. */
export function claimRefusal(
  status: ConversationStatus,
  handoff: HandoffFacts | undefined,
): Refusal | undefined {
  if (!handoff) return { code: 'no_handoff' };
  if (handoff.claimedBy) return { code: 'already_claimed', by: handoff.claimedBy };
  if (handoff.resolved || (status !== 'waiting' && status !== 'queued')) return { code: 'closed' };
  return undefined;
}

/** Highest escalation level: 1 mentions the next agent, 2 the whole channel. */
export const MAX_ESCALATION = 2;

/**
 * The conversation lifecycle. Pure: no clock, no I/O, no ids; everything it needs comes in.
 * - bot -> waiting (someone can take it) or queued (follow-up promised) on a trigger or a request
 * - bot -> claimed on an agent's takeover; waiting|queued -> claimed on a claim
 * - waiting -> queued when Slack refuses the card for good
 * - waiting|queued|claimed -> waiting on a transfer to another channel
 * - any open status -> resolved; resolved -> bot when the customer writes again (a new round)
 */
export function transition(state: LifecycleState, event: LifecycleEvent, context: LifecycleContext): Step {
  const { status, handoff } = state;
  switch (event.kind) {
    case 'late_relay':
      // A line stored while the assistant had the chat, relayed once a handoff fired; never moves the status.
      if (!relaysToSlack(status) || !handoff) return step(status);
      return step(status, [
        {
          kind: 'relay_to_thread',
          handoffId: handoff.id,
          channel: handoff.channel,
          messageId: event.messageId,
        },
      ]);
    case 'customer_message':
      if (status === 'resolved') return step('bot', [{ kind: 'live_status', status: 'bot' }]);
      if (status === 'bot' || !handoff) return step(status);
      return step(status, [
        {
          kind: 'relay_to_thread',
          handoffId: handoff.id,
          channel: handoff.channel,
          messageId: event.messageId,
        },
      ]);
    case 'trigger':
      return opensHandoff(status, 'trigger')
        ? openHandoff(event.handoff)
        : refuse({ code: 'not_with_assistant' });
    case 'request':
      // "Talk to a person" is never refused: already with people it changes nothing.
      return opensHandoff(status, 'request') ? openHandoff(event.handoff) : step(status);
    case 'takeover': {
      if (!opensHandoff(status, 'takeover')) return refuse({ code: 'not_with_assistant' });
      const opened = openHandoff({
        ...event.handoff,
        agentsAvailable: true,
        notice: undefined,
        assignedTo: [],
      });
      return step('claimed', [
        ...opened.effects,
        ...claimEffects(event.handoff.id, event.handoff.channel, event.agent, context),
      ]);
    }
    case 'claim': {
      const refusal = claimRefusal(status, handoff);
      if (refusal || !handoff) return refuse(refusal ?? { code: 'no_handoff' });
      return step('claimed', [
        ...claimEffects(handoff.id, handoff.channel, event.agent, context),
        { kind: 'update_card', handoffId: handoff.id, channel: handoff.channel },
      ]);
    }
    case 'agent_reply':
      return agentReply(state, event, context);
    case 'transfer_to_agent':
      if (!handoff?.claimedBy || handoff.resolved || status !== 'claimed')
        return refuse({ code: 'not_claimed' });
      if (!mayAct(handoff, event.actor, event.asAdmin))
        return refuse({ code: 'not_yours', by: handoff.claimedBy });
      if (handoff.claimedBy.slackUserId === event.agent.slackUserId) return refuse({ code: 'same_agent' });
      return step('claimed', [
        { kind: 'reassign_handoff', handoffId: handoff.id, agent: event.agent },
        { kind: 'add_participant', agent: event.agent },
        { kind: 'customer_notice', notice: 'join', text: joinNotice(context.joinTemplate, event.agent.name) },
        joinedStatus(event.agent),
        { kind: 'update_card', handoffId: handoff.id, channel: handoff.channel },
        {
          kind: 'audit',
          actor: event.actor,
          action: 'transfer',
          oldValue: { handoffId: handoff.id },
          newValue: { to: event.agent.slackUserId },
        },
        {
          kind: 'announce',
          text: `:arrows_counterclockwise: <@${event.actor}> transferred a conversation to <@${event.agent.slackUserId}>.`,
        },
      ]);
    case 'transfer_to_channel': {
      if (!handoff || handoff.resolved || status === 'bot' || status === 'resolved')
        return refuse({ code: 'closed' });
      if (!mayAct(handoff, event.actor, event.asAdmin))
        return handoff.claimedBy
          ? refuse({ code: 'not_yours', by: handoff.claimedBy })
          : refuse({ code: 'not_claimed' });
      if (handoff.channel === event.channel) return refuse({ code: 'same_channel' });
      const next = { ...event.handoff, channel: event.channel, agentsAvailable: true };
      return step('waiting', [
        { kind: 'close_handoff', handoffId: handoff.id, by: event.actor, transferred: true },
        { kind: 'open_handoff', handoff: next },
        { kind: 'post_card', handoffId: next.id, channel: next.channel },
        { kind: 'customer_notice', notice: 'transfer', text: CUSTOMER_NOTICES.transfer },
        { kind: 'live_status', status: 'waiting' },
        { kind: 'update_card', handoffId: handoff.id, channel: handoff.channel },
        {
          kind: 'audit',
          actor: event.actor,
          action: 'transfer',
          oldValue: { handoffId: handoff.id },
          newValue: { to: event.channel },
        },
        {
          kind: 'announce',
          text: `:arrows_counterclockwise: <@${event.actor}> moved a conversation to <#${event.channel}>.`,
        },
      ]);
    }
    case 'card_posted': {
      if (!handoff) return refuse({ code: 'no_handoff' });
      const effects: LifecycleEffect[] = [
        { kind: 'record_card', handoffId: handoff.id, channel: event.channel, ts: event.ts },
      ];
      // Claimed or closed while the card was on its way: the posted card is already stale.
      if (handoff.claimedBy || handoff.resolved)
        effects.push({ kind: 'update_card', handoffId: handoff.id, channel: event.channel });
      else
        for (const agentId of handoff.assignedTo.slice(0, 20))
          effects.push({ kind: 'dm_agent', agentId, handoffId: handoff.id, channel: event.channel });
      return step(status, effects);
    }
    case 'card_failed': {
      if (!handoff) return refuse({ code: 'no_handoff' });
      const record: LifecycleEffect = {
        kind: 'record_card_failure',
        handoffId: handoff.id,
        code: event.code,
      };
      // Nobody in Slack will see it: say so honestly and promise an email follow-up instead.
      if (status !== 'waiting' || handoff.resolved) return step(status, [record]);
      return step('queued', [
        record,
        { kind: 'customer_notice', notice: 'card_failed', text: CUSTOMER_NOTICES.cardFailed },
        { kind: 'live_status', status: 'queued' },
      ]);
    }
    case 'email_left':
      return step(status, [{ kind: 'set_follow_up_email', email: event.email }, ...cardUpdate(handoff)]);
    case 'resolve': {
      if (!handoff) return refuse({ code: 'no_handoff' });
      if (handoff.resolved || status === 'resolved') return refuse({ code: 'closed' });
      const { claimedBy } = handoff;
      if (!claimedBy && !event.asAdmin) return refuse({ code: 'not_claimed' });
      if (claimedBy && claimedBy.slackUserId !== event.actor.slackUserId && !event.asAdmin)
        return refuse({ code: 'not_yours', by: claimedBy });
      return step('resolved', [
        { kind: 'close_handoff', handoffId: handoff.id, by: event.actor.slackUserId, transferred: false },
        { kind: 'customer_notice', notice: 'resolved', text: CUSTOMER_NOTICES.resolved(event.actor.name) },
        { kind: 'live_status', status: 'resolved' },
        ...cardUpdate(handoff),
        ...threadNotice(handoff, { notice: 'resolved', by: event.actor.name }),
      ]);
    }
    case 'rate':
      if (status !== 'resolved') return refuse({ code: 'not_resolved' });
      return step('resolved', [
        { kind: 'set_csat', score: event.score, comment: event.comment },
        ...cardUpdate(handoff),
        ...threadNotice(handoff, { notice: 'rated', score: event.score, comment: event.comment }),
      ]);
    case 'escalate': {
      if (!handoff || status !== 'waiting' || handoff.claimedBy || handoff.resolved || !handoff.cardPosted)
        return refuse({ code: 'not_waiting' });
      if (handoff.escalationLevel >= MAX_ESCALATION) return refuse({ code: 'escalated_enough' });
      const level = handoff.escalationLevel + 1;
      const effects: LifecycleEffect[] = [
        { kind: 'raise_escalation', handoffId: handoff.id, from: handoff.escalationLevel, to: level },
        { kind: 'update_card', handoffId: handoff.id, channel: handoff.channel },
        {
          kind: 'thread_notice',
          handoffId: handoff.id,
          channel: handoff.channel,
          notice: {
            notice: 'escalated',
            level,
            waitedMinutes: event.waitedMinutes,
            mention: level === 1 ? event.mention : [],
            ...(event.here === false ? { here: false } : {}),
          },
        },
      ];
      // The customer hears once, honestly, that it is taking longer.
      if (level === 1) effects.push({ kind: 'customer_notice', notice: 'slow', text: CUSTOMER_NOTICES.slow });
      return step('waiting', effects);
    }
  }
}
