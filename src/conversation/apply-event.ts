import { findHandoff, findLatestHandoff } from '../handoff/handoff-repository.js';
import type { Handoff } from '../handoff/handoff.js';
import type { ServiceDeps } from '../ports.js';
import type { Db } from '../storage/database.js';
import { type AfterCommit, commitEffects, publishCommitted, StaleState } from './commit-effects.js';
import { type Conversation, followUpAddress, relaysToSlack } from './conversation.js';
import { commitStatus, requireConversation } from './conversation-repository.js';
import {
  type HandoffFacts,
  type LifecycleContext,
  type LifecycleEvent,
  type Refusal,
  type Step,
  transition,
} from './lifecycle.js';

export type ApplyDeps = Pick<
  ServiceDeps,
  'db' | 'now' | 'ids' | 'live' | 'kickOutbox' | 'handoffChannel' | 'followUp' | 'settings' | 'log'
>;

/** Which conversation a step is about, and which of its handoffs (its latest when not named). */
export interface Target {
  conversationId: string;
  handoffId?: string;
  /**
   * The conversation as a write earlier in this same transaction returned it (nextSeq): that write holds
   * the row until the commit, so it is current, need not be read again, and a step that keeps its status
   * needs no compare-and-set (nothing can have changed it since).
   */
  locked?: Conversation;
}

export type Applied =
  | { ok: true; step: Extract<Step, { ok: true }>; conversation: Conversation; handoff?: Handoff }
  | { ok: false; refusal: Refusal; conversation?: Conversation; handoff?: Handoff };

/** What the lifecycle needs to know about a handoff. */
export function handoffFacts(h: Handoff): HandoffFacts {
  return {
    id: h.id,
    channel: h.channel,
    claimedBy: h.claimedBy,
    resolved: h.resolvedAt !== undefined,
    cardPosted: h.card !== undefined,
    escalationLevel: h.escalationLevel,
    assignedTo: h.assignedTo,
  };
}

/** Only the steps that word a join need the admin's template; the rest skip the settings read. */
export async function lifecycleContext(
  deps: ApplyDeps,
  conversationId: string,
  event: LifecycleEvent,
): Promise<LifecycleContext> {
  const needsJoin = event.kind === 'claim' || event.kind === 'takeover' || event.kind === 'transfer_to_agent';
  const canEmail = deps.followUp !== undefined;
  // Read only when an email could go out (an agent's reply): in a fleet it is a query, since the
  // customer's stream may be on another instance.
  const mayEmail = canEmail && event.kind === 'agent_reply';
  return {
    joinTemplate: needsJoin ? (await deps.settings()).messages.join : '',
    customerWatching: mayEmail && (await deps.live.watchedAnywhere(conversationId)),
    canEmail,
  };
}

/**
 * Runs one lifecycle step inside the caller's transaction: loads the conversation and its handoff once,
 * asks `transition`, compare-and-sets the status it chose and writes its effects. Returns what to publish
 * after the commit. Throws StaleState when a concurrent step won (the caller's transaction rolls back).
 */
export async function applyInTransaction(
  trx: Db,
  deps: ApplyDeps,
  target: Target,
  event: LifecycleEvent,
  context: LifecycleContext,
): Promise<{ applied: Applied; after?: AfterCommit }> {
  const conversation = target.locked ?? (await requireConversation(trx, target.conversationId));
  // A customer line while the assistant has the chat (the hot path) needs no handoff at all.
  const needsHandoff =
    target.handoffId !== undefined || event.kind !== 'customer_message' || relaysToSlack(conversation.status);
  const found = !needsHandoff
    ? undefined
    : target.handoffId
      ? await findHandoff(trx, target.handoffId)
      : await findLatestHandoff(trx, conversation.id);
  const handoff = found?.conversationId === conversation.id ? found : undefined;
  const step = transition(
    {
      status: conversation.status,
      handoff: handoff && handoffFacts(handoff),
      followUpTo: followUpAddress(conversation),
    },
    event,
    context,
  );
  if (!step.ok) return { applied: { ok: false, refusal: step.refusal, conversation, handoff } };
  // A step that changes nothing (a customer line while the assistant has the chat) needs no write at all.
  if (step.status === conversation.status && step.effects.length === 0)
    return { applied: { ok: true, step, conversation, handoff } };
  const now = deps.now().toISOString();
  const keepsLockedStatus = target.locked !== undefined && step.status === conversation.status;
  if (!keepsLockedStatus && !(await commitStatus(trx, conversation.id, conversation, step.status, now)))
    throw new StaleState('conversation changed');
  const after = await commitEffects(trx, deps, conversation.id, step.effects);
  return {
    applied: { ok: true, step, conversation: { ...conversation, status: step.status }, handoff },
    after,
  };
}

/** Tries a unit of work again when a concurrent lifecycle step won the compare-and-set. */
export async function retryStale<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StaleState) || i >= attempts) throw error;
    }
  }
}

/**
 * Applies one event to a conversation in its own transaction and publishes it once committed.
 * `guard` runs first in the same transaction and may refuse (for example a Slack event already processed).
 */
export async function applyEvent(
  deps: ApplyDeps,
  target: Target,
  event: LifecycleEvent,
  options: { guard?: (trx: Db) => Promise<boolean> } = {},
): Promise<Applied | { ok: false; refusal: { code: 'duplicate' } }> {
  const context = await lifecycleContext(deps, target.conversationId, event);
  const result = await retryStale(() =>
    deps.db.transaction().execute(async (trx) => {
      if (options.guard && !(await options.guard(trx)))
        return { applied: { ok: false as const, refusal: { code: 'duplicate' as const } } };
      return applyInTransaction(trx, deps, target, event, context);
    }),
  );
  if ('after' in result && result.after) publishCommitted(deps, target.conversationId, result.after);
  if (result.applied.ok)
    deps.log.debug(
      { conversationId: target.conversationId, event: event.kind, status: result.applied.step.status },
      'lifecycle step applied',
    );
  return result.applied;
}
