import { type ClaimResult, claimConversation } from './agent-actions.js';
import { requireConversation } from '../conversation/messages.js';
import type { ServiceDeps } from '../ports.js';
import { fireHandoff } from './fire-handoff.js';

/**
 * An agent takes a conversation over from the assistant before any trigger fired: a handoff card
 * opens just like for a trigger, already claimed by that agent.
 */
export async function takeOver(
  deps: ServiceDeps,
  conversationId: string,
  agentUserId: string,
): Promise<ClaimResult | { kind: 'not_live' }> {
  const conversation = await requireConversation(deps, conversationId);
  if (conversation.status !== 'bot') return { kind: 'not_live' };
  const fired = await fireHandoff(deps, {
    conversationId,
    reason: 'agent_takeover',
    detail: 'an agent took over',
  });
  if (!fired.handoffId) return { kind: 'not_live' };
  return claimConversation(deps, fired.handoffId, agentUserId);
}
