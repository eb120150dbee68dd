import { applyEvent } from '../conversation/apply-event.js';
import type { ServiceDeps } from '../ports.js';
import { findHandoff } from './handoff-repository.js';

export type ResolveResult =
  | { kind: 'resolved' }
  | { kind: 'already_resolved' }
  | { kind: 'not_claimed' }
  | { kind: 'not_yours'; by: string }
  | { kind: 'not_found' };

/** Only the agent who claimed a conversation ends it (or an admin), so nobody closes a chat someone else is having. */
export async function resolveConversation(
  deps: ServiceDeps,
  handoffId: string,
  byUserId: string,
  opts: { asAdmin?: boolean } = {},
): Promise<ResolveResult> {
  const handoff = await findHandoff(deps.db, handoffId);
  if (!handoff) return { kind: 'not_found' };
  if (handoff.resolvedAt) return { kind: 'already_resolved' };
  // The claimer's name is known; anyone else's (an admin) is looked up in Slack before the step.
  const name =
    handoff.claimedBy?.slackUserId === byUserId
      ? handoff.claimedBy.name
      : await deps.agents.displayName(byUserId);
  const applied = await applyEvent(
    deps,
    { conversationId: handoff.conversationId, handoffId },
    { kind: 'resolve', actor: { slackUserId: byUserId, name }, asAdmin: opts.asAdmin ?? false },
  );
  if (applied.ok) return { kind: 'resolved' };
  const { refusal } = applied;
  if (refusal.code === 'not_claimed') return { kind: 'not_claimed' };
  if (refusal.code === 'not_yours') return { kind: 'not_yours', by: refusal.by.name };
  if (refusal.code === 'no_handoff') return { kind: 'not_found' };
  return { kind: 'already_resolved' };
}
