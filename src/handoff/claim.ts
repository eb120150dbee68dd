import { type Applied, applyEvent, handoffFacts } from '../conversation/apply-event.js';
import { requireConversation } from '../conversation/conversation-repository.js';
import { claimRefusal } from '../conversation/lifecycle.js';
import type { ServiceDeps } from '../ports.js';
import type { AgentRef } from './handoff.js';
import { findHandoff } from './handoff-repository.js';

export type ClaimResult =
  | { kind: 'claimed'; handoffId: string; agentName: string }
  | { kind: 'already_claimed'; by: string; self: boolean }
  | { kind: 'closed' }
  | { kind: 'not_found' };

/** Words a claim or takeover step's outcome for the caller (card button, App Home). */
export function claimResultOf(
  applied: Applied | { ok: false; refusal: { code: 'duplicate' } },
  agent: AgentRef,
  handoffId: string,
): ClaimResult {
  if (applied.ok) return { kind: 'claimed', handoffId, agentName: agent.name };
  const { refusal } = applied;
  if (refusal.code === 'already_claimed')
    return {
      kind: 'already_claimed',
      by: refusal.by.name,
      self: refusal.by.slackUserId === agent.slackUserId,
    };
  if (refusal.code === 'no_handoff') return { kind: 'not_found' };
  return { kind: 'closed' };
}

/**
 * First click wins: the lifecycle's claim step compare-and-sets the conversation and the handoff, and
 * everyone else learns who has it. The agent's name is looked up before the step (a Slack call).
 */
export async function claimConversation(
  deps: ServiceDeps,
  handoffId: string,
  agentUserId: string,
): Promise<ClaimResult> {
  const handoff = await findHandoff(deps.db, handoffId);
  if (!handoff) return { kind: 'not_found' };
  // A click the lifecycle would refuse anyway (already claimed, closed) is answered without a Slack lookup.
  const conversation = await requireConversation(deps.db, handoff.conversationId);
  const refusal = claimRefusal(conversation.status, handoffFacts(handoff));
  if (refusal)
    return claimResultOf({ ok: false, refusal }, { slackUserId: agentUserId, name: '' }, handoffId);
  const agent: AgentRef = { slackUserId: agentUserId, ...(await deps.agents.profile(agentUserId)) };
  const applied = await applyEvent(
    deps,
    { conversationId: handoff.conversationId, handoffId },
    { kind: 'claim', agent },
  );
  if (applied.ok)
    deps.log.info(
      { conversationId: handoff.conversationId, handoffId, agent: agentUserId },
      'handoff claimed',
    );
  return claimResultOf(applied, agent, handoffId);
}
