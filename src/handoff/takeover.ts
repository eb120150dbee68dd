import { applyEvent } from '../conversation/apply-event.js';
import { requireConversation } from '../conversation/conversation-repository.js';
import { opensHandoff } from '../conversation/lifecycle.js';
import type { ServiceDeps } from '../ports.js';
import { type ClaimResult, claimResultOf } from './claim.js';
import { prepareHandoff } from './fire-handoff.js';

/**
 * An agent takes a conversation over from the assistant before any trigger fired: a handoff card opens
 * just like for a trigger, already claimed by that agent, in one lifecycle step.
 */
export async function takeOver(
  deps: ServiceDeps,
  conversationId: string,
  agentUserId: string,
): Promise<ClaimResult | { kind: 'not_live' }> {
  const conversation = await requireConversation(deps.db, conversationId);
  if (!opensHandoff(conversation.status, 'takeover')) return { kind: 'not_live' };
  const [handoff, profile] = await Promise.all([
    prepareHandoff(deps, conversation, { reason: 'agent_takeover', detail: 'an agent took over' }),
    deps.agents.profile(agentUserId),
  ]);
  const agent = { slackUserId: agentUserId, ...profile };
  const applied = await applyEvent(deps, { conversationId }, { kind: 'takeover', handoff, agent });
  if (!applied.ok && applied.refusal.code === 'not_with_assistant') return { kind: 'not_live' };
  return claimResultOf(applied, agent, handoff.id);
}
