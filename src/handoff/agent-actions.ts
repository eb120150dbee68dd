import { addParticipant, updateStatus } from '../conversation/conversation-repository.js';
import {
  claimHandoff,
  findHandoff,
  findHandoffByThread,
  type Handoff,
  recordFirstReply,
  resolveHandoff,
} from './handoff-repository.js';
import { editMessage, findBySlackTs, markDeleted } from '../conversation/message-repository.js';
import { enqueueOutbox } from '../storage/outbox-repository.js';
import { markEventProcessed } from '../storage/processed-events-repository.js';
import { transition } from '../conversation/lifecycle.js';
import {
  appendMessageIf,
  insertMessageInTransaction,
  requireConversation,
} from '../conversation/messages.js';
import type { ServiceDeps } from '../ports.js';
import { followUpIfAway } from '../conversation/follow-up.js';

export type ClaimResult =
  | { kind: 'claimed'; handoff: Handoff; agentName: string }
  | { kind: 'already_claimed'; by: string; self: boolean }
  | { kind: 'closed' }
  | { kind: 'not_found' };

/** Rebuilds a handoff's card in Slack after its state changed (no-op before the card is posted). */
export async function queueCardUpdate(deps: ServiceDeps, handoff: Handoff) {
  if (!handoff.card) return;
  await enqueueOutbox(deps.db, {
    channel: handoff.card.channel,
    kind: 'card_update',
    conversationId: handoff.conversationId,
    handoffId: handoff.id,
    now: deps.now().toISOString(),
  });
  deps.kickOutbox();
}

/** What Baton tells agents in a handoff thread; the Slack adapter words it. */
export type ThreadNotice =
  | { notice: 'resolved'; by: string }
  | { notice: 'rated'; score: number; comment?: string }
  | { notice: 'agent_sent'; by: string; text: string }
  | { notice: 'escalated'; level: number; waitedMinutes: number; mention: string[] };

export async function queueThreadNotice(deps: ServiceDeps, handoff: Handoff, notice: ThreadNotice) {
  if (!handoff.card) return;
  await enqueueOutbox(deps.db, {
    channel: handoff.card.channel,
    kind: 'thread_notice',
    conversationId: handoff.conversationId,
    handoffId: handoff.id,
    payload: notice,
    now: deps.now().toISOString(),
  });
  deps.kickOutbox();
}

/** First click wins (compare-and-set in SQL); everyone else learns who has it. */
export async function claimConversation(
  deps: ServiceDeps,
  handoffId: string,
  agentUserId: string,
): Promise<ClaimResult> {
  const handoff = await findHandoff(deps.db, handoffId);
  if (!handoff) return { kind: 'not_found' };
  if (handoff.claimedBy) {
    return {
      kind: 'already_claimed',
      by: handoff.claimedBy.name,
      self: handoff.claimedBy.slackUserId === agentUserId,
    };
  }
  if (handoff.resolvedAt) return { kind: 'closed' };
  const conversation = await requireConversation(deps, handoff.conversationId);
  const step = transition(conversation.status, { kind: 'claimed' });
  if (!step.ok) return { kind: 'closed' };

  const agentName = await deps.agents.displayName(agentUserId);
  const now = deps.now().toISOString();
  // The admin's `/baton message join` text, `{agent}` replaced with the agent's name.
  const join = (await deps.settings()).messages.join.replaceAll('{agent}', agentName);
  // Claim, status and the customer's "has joined" line commit together: the customer is never left unaware.
  const won = await deps.db.transaction().execute(async (trx) => {
    if (!(await claimHandoff(trx, handoff.id, { slackUserId: agentUserId, name: agentName }, now)))
      return undefined;
    await updateStatus(trx, conversation.id, ['waiting', 'queued'], 'claimed', now);
    await addParticipant(trx, {
      conversationId: conversation.id,
      role: 'agent',
      slackUserId: agentUserId,
      displayName: agentName,
      now,
    });
    return insertMessageInTransaction(trx, deps, {
      conversationId: conversation.id,
      author: 'system',
      text: join,
    });
  });
  if (!won) {
    const latest = await findHandoff(deps.db, handoffId);
    if (latest?.claimedBy) {
      return {
        kind: 'already_claimed',
        by: latest.claimedBy.name,
        self: latest.claimedBy.slackUserId === agentUserId,
      };
    }
    return { kind: 'closed' };
  }
  deps.log.info({ conversationId: conversation.id, handoffId, agent: agentUserId }, 'handoff claimed');
  deps.live.message(conversation.id, won);
  deps.live.status(conversation.id, 'claimed', { name: agentName });
  const claimed = (await findHandoff(deps.db, handoffId)) ?? handoff;
  await queueCardUpdate(deps, claimed);
  return { kind: 'claimed', handoff: claimed, agentName };
}

export type ThreadMessage = {
  eventId: string;
  channel: string;
  threadTs: string;
  ts: string;
  userId: string;
  text: string;
};

export type RelayOutcome = 'relayed' | 'duplicate' | 'not_ours' | 'internal' | 'not_claimer' | 'closed';

/** Matches the Papercups convention too: `;;` marks a private note. */
export function isInternalNote(text: string): boolean {
  const trimmed = text.trimStart();
  return /^note:/i.test(trimmed) || trimmed.startsWith(';;');
}

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
  if (!handoff) return 'not_ours';
  if (isInternalNote(input.text)) return 'internal';
  if (!handoff.claimedBy || handoff.claimedBy.slackUserId !== input.userId) return 'not_claimer';
  if (handoff.resolvedAt) return 'closed';
  const now = deps.now().toISOString();
  const stored = await appendMessageIf(
    deps,
    {
      conversationId: handoff.conversationId,
      author: 'agent',
      text: input.plainText,
      agent: { name: handoff.claimedBy.name, slackUserId: input.userId },
      slackTs: input.ts,
    },
    async (trx) => {
      if (!(await markEventProcessed(trx, input.eventId, now))) return false;
      if (await findBySlackTs(trx, handoff.conversationId, input.ts)) return false;
      await recordFirstReply(trx, handoff.id, now);
      return true;
    },
  );
  if (!stored) return 'duplicate';
  await followUpIfAway(deps, stored.message).catch((error: unknown) =>
    deps.log.error(
      { err: error, conversationId: handoff.conversationId },
      'could not queue the follow-up email',
    ),
  );
  return 'relayed';
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
    await markDeleted(deps.db, message.id, now);
    deps.live.message(handoff.conversationId, { ...message, text: '', deletedAt: now });
    return true;
  }
  await editMessage(deps.db, message.id, input.plainText, now);
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
  await markDeleted(deps.db, message.id, now);
  deps.live.message(handoff.conversationId, { ...message, text: '', deletedAt: now });
  return true;
}

export type ResolveResult =
  | { kind: 'resolved' }
  | { kind: 'already_resolved' }
  | { kind: 'not_claimed' }
  | { kind: 'not_yours'; by: string }
  | { kind: 'not_found' };

/** Only the agent who claimed a conversation ends it, so nobody closes a chat someone else is having. */
export async function resolveConversation(
  deps: ServiceDeps,
  handoffId: string,
  byUserId: string,
  opts: { asAdmin?: boolean } = {},
): Promise<ResolveResult> {
  const handoff = await findHandoff(deps.db, handoffId);
  if (!handoff) return { kind: 'not_found' };
  if (handoff.resolvedAt) return { kind: 'already_resolved' };
  if (!handoff.claimedBy && !opts.asAdmin) return { kind: 'not_claimed' };
  if (handoff.claimedBy && handoff.claimedBy.slackUserId !== byUserId && !opts.asAdmin) {
    return { kind: 'not_yours', by: handoff.claimedBy.name };
  }
  const now = deps.now().toISOString();
  const name =
    handoff.claimedBy?.slackUserId === byUserId
      ? handoff.claimedBy.name
      : await deps.agents.displayName(byUserId);
  const done = await deps.db.transaction().execute(async (trx) => {
    if (!(await resolveHandoff(trx, handoff.id, byUserId, now))) return undefined;
    await updateStatus(trx, handoff.conversationId, ['waiting', 'claimed', 'queued', 'bot'], 'resolved', now);
    // Also marks where the next round with the assistant starts (see assistant-turn).
    return insertMessageInTransaction(trx, deps, {
      conversationId: handoff.conversationId,
      author: 'system',
      text: `Conversation resolved by ${name}.`,
    });
  });
  if (!done) return { kind: 'already_resolved' };
  deps.live.message(handoff.conversationId, done);
  deps.live.status(handoff.conversationId, 'resolved');
  const resolved = (await findHandoff(deps.db, handoffId)) ?? handoff;
  await queueCardUpdate(deps, resolved);
  await queueThreadNotice(deps, resolved, { notice: 'resolved', by: name });
  return { kind: 'resolved' };
}
