import { setAgentFields } from '../desk/agent-repository.js';
import { appendAudit } from '../desk/audit-repository.js';
import {
  claimHandoff,
  insertHandoff,
  reassignHandoff,
  recordCardFailed,
  recordCardPosted,
  recordFirstReply,
  resolveHandoff,
  setEscalationLevel,
} from '../handoff/handoff-repository.js';
import type { ServiceDeps } from '../ports.js';
import type { Db } from '../storage/database.js';
import { enqueueOutbox } from '../storage/outbox-repository.js';
import type { ConversationStatus, Message } from './conversation.js';
import { addParticipant, setCsat, setFollowUpEmail } from './conversation-repository.js';
import type { LifecycleEffect } from './effects.js';
import { insertMessageInTransaction } from './messages.js';

/** A compare-and-set lost to a concurrent step: the whole step is rolled back and tried again on fresh state. */
export class StaleState extends Error {
  constructor(what: string) {
    super(`stale lifecycle state: ${what}`);
  }
}

/** What to tell the outside world once the transaction has committed (never before: it could roll back). */
export interface AfterCommit {
  messages: Message[];
  status?: { status: ConversationStatus; agentName?: string; agentAvatarUrl?: string };
  /** Channels new Slack work was queued for. */
  slackChannels: Set<string>;
  email: boolean;
}

type EffectDeps = Pick<ServiceDeps, 'now' | 'ids' | 'handoffChannel' | 'followUp'>;

/** Writes a step's effects in the caller's transaction, in order. The only writer of lifecycle effects. */
export async function commitEffects(
  trx: Db,
  deps: EffectDeps,
  conversationId: string,
  effects: readonly LifecycleEffect[],
): Promise<AfterCommit> {
  const now = deps.now().toISOString();
  const after: AfterCommit = { messages: [], slackChannels: new Set(), email: false };
  const outbox = async (intent: Parameters<typeof enqueueOutbox>[1]) => {
    await enqueueOutbox(trx, intent, now);
    after.slackChannels.add(intent.channel);
  };
  const cas = (won: boolean, what: string) => {
    if (!won) throw new StaleState(what);
  };
  for (const e of effects) {
    switch (e.kind) {
      case 'open_handoff':
        await insertHandoff(trx, conversationId, e.handoff, now);
        break;
      case 'claim_handoff':
        cas(await claimHandoff(trx, e.handoffId, e.agent, now), 'handoff already claimed');
        break;
      case 'reassign_handoff':
        cas(await reassignHandoff(trx, e.handoffId, e.agent), 'handoff closed');
        break;
      case 'close_handoff':
        cas(await resolveHandoff(trx, e.handoffId, e.by, now, e.transferred), 'handoff already closed');
        break;
      case 'record_card':
        await recordCardPosted(trx, { id: e.handoffId, conversationId }, e.channel, e.ts, now);
        break;
      case 'record_card_failure':
        await recordCardFailed(trx, e.handoffId, e.code);
        break;
      case 'raise_escalation':
        cas(await setEscalationLevel(trx, e.handoffId, e.from, e.to), 'escalation level moved');
        break;
      case 'record_first_reply':
        await recordFirstReply(trx, e.handoffId, now);
        break;
      case 'mark_assigned':
        await setAgentFields(trx, e.agentId, { lastAssignedAt: now }, now);
        break;
      case 'add_participant':
        await addParticipant(trx, {
          conversationId,
          role: 'agent',
          slackUserId: e.agent.slackUserId,
          displayName: e.agent.name,
          now,
        });
        break;
      case 'set_csat':
        await setCsat(trx, conversationId, e.score, e.comment, now);
        break;
      case 'set_follow_up_email':
        await setFollowUpEmail(trx, conversationId, e.email, now);
        break;
      case 'customer_notice':
        after.messages.push(
          await insertMessageInTransaction(trx, deps, {
            conversationId,
            author: 'system',
            text: e.text,
            notice: e.notice,
          }),
        );
        break;
      case 'agent_message':
        after.messages.push(
          await insertMessageInTransaction(trx, deps, {
            id: e.messageId,
            conversationId,
            author: 'agent',
            text: e.text,
            agent: {
              name: e.agent.name,
              slackUserId: e.agent.slackUserId,
              ...(e.agent.avatarUrl ? { avatarUrl: e.agent.avatarUrl } : {}),
            },
            slackTs: e.slackTs,
          }),
        );
        break;
      case 'live_status':
        after.status = { status: e.status, agentName: e.agentName, agentAvatarUrl: e.agentAvatarUrl };
        break;
      case 'email_follow_up':
        if (!deps.followUp) break;
        await deps.followUp.queue(trx, { conversationId, ...e });
        after.email = true;
        break;
      case 'post_card':
        await outbox({ kind: 'handoff_card', channel: e.channel, conversationId, handoffId: e.handoffId });
        break;
      case 'update_card':
        await outbox({ kind: 'card_update', channel: e.channel, conversationId, handoffId: e.handoffId });
        break;
      case 'thread_notice':
        await outbox({
          kind: 'thread_notice',
          channel: e.channel,
          conversationId,
          handoffId: e.handoffId,
          notice: e.notice,
        });
        break;
      case 'relay_to_thread':
        await outbox({
          kind: 'thread_message',
          channel: e.channel,
          conversationId,
          handoffId: e.handoffId,
          messageId: e.messageId,
        });
        break;
      case 'dm_agent':
        await outbox({ kind: 'dm', channel: e.agentId, handoffId: e.handoffId });
        break;
      case 'announce':
        await outbox({ kind: 'channel_notice', channel: deps.handoffChannel, text: e.text });
        break;
      case 'audit':
        await appendAudit(trx, {
          actor: e.actor,
          action: e.action,
          oldValue: e.oldValue,
          newValue: e.newValue,
          at: now,
        });
        break;
    }
  }
  return after;
}

/** Publishes a committed step: live updates to the widget, and wakes the workers that have new work. */
export function publishCommitted(
  deps: Pick<ServiceDeps, 'live' | 'kickOutbox' | 'followUp'>,
  conversationId: string,
  after: AfterCommit,
): void {
  for (const m of after.messages) deps.live.message(conversationId, m);
  if (after.status)
    deps.live.status(
      conversationId,
      after.status.status,
      after.status.agentName
        ? {
            name: after.status.agentName,
            ...(after.status.agentAvatarUrl ? { avatarUrl: after.status.agentAvatarUrl } : {}),
          }
        : undefined,
    );
  if (after.slackChannels.size > 0) deps.kickOutbox([...after.slackChannels]);
  if (after.email) deps.followUp?.kick();
}
