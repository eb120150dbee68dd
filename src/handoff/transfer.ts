import { applyEvent } from '../conversation/apply-event.js';
import type { Refusal } from '../conversation/lifecycle.js';
import type { ServiceDeps } from '../ports.js';
import { findHandoff } from './handoff-repository.js';

export type TransferResult = { kind: 'transferred'; to: string } | { kind: 'refused'; why: string };

const CLOSED = 'This conversation is already closed.';
const WHY: Partial<Record<Refusal['code'] | 'duplicate', string>> = {
  not_claimed: 'Only a claimed, open conversation can be transferred.',
  same_agent: 'That agent already has this conversation.',
  not_yours: 'Only the agent who has this conversation (or an admin) can transfer it.',
  same_channel: 'The conversation is already in that channel.',
};

function refused(code: Refusal['code'] | 'duplicate'): TransferResult {
  return { kind: 'refused', why: WHY[code] ?? CLOSED };
}

/** Another agent takes over a claimed conversation; the customer is told who joined. Audited and announced. */
export async function transferToAgent(
  deps: ServiceDeps,
  handoffId: string,
  actorUserId: string,
  targetUserId: string,
  opts: { asAdmin?: boolean } = {},
): Promise<TransferResult> {
  const handoff = await findHandoff(deps.db, handoffId);
  if (!handoff) return refused('closed');
  const agent = { slackUserId: targetUserId, ...(await deps.agents.profile(targetUserId)) };
  const applied = await applyEvent(
    deps,
    { conversationId: handoff.conversationId, handoffId },
    { kind: 'transfer_to_agent', actor: actorUserId, agent, asAdmin: opts.asAdmin ?? false },
  );
  return applied.ok ? { kind: 'transferred', to: agent.name } : refused(applied.refusal.code);
}

/** Moves the conversation to another team's channel: a fresh card there, this one closed as transferred. */
export async function transferToChannel(
  deps: ServiceDeps,
  handoffId: string,
  actorUserId: string,
  channel: string,
  opts: { asAdmin?: boolean } = {},
): Promise<TransferResult> {
  const handoff = await findHandoff(deps.db, handoffId);
  if (!handoff) return refused('closed');
  const applied = await applyEvent(
    deps,
    { conversationId: handoff.conversationId, handoffId },
    {
      kind: 'transfer_to_channel',
      actor: actorUserId,
      asAdmin: opts.asAdmin ?? false,
      channel,
      handoff: {
        id: deps.ids.handoffId(),
        reason: handoff.reason,
        detail: `transferred by ${actorUserId}`.replace(/[<>@]/g, ''),
        summary: handoff.summary ?? {
          issue: '',
          facts: { orderNumbers: [], emails: [], phoneNumbers: [], amounts: [] },
          tried: [],
        },
        sentiment: handoff.sentiment ?? 0,
        topic: handoff.topic,
        channel,
        assignedTo: [],
        agentsAvailable: true,
      },
    },
  );
  return applied.ok ? { kind: 'transferred', to: `<#${channel}>` } : refused(applied.refusal.code);
}
