// Shared by the lifecycle test files (the transition table and the effects of each step), so that
// every file judges `transition` against the same people, context, states and events.
// Not a `.test.ts` file so vitest does not collect it; left out of the build (tsconfig.build.json).
import type { ConversationStatus } from './conversation.js';
import type { NewHandoff } from './effects.js';
import {
  type HandoffFacts,
  type LifecycleContext,
  type LifecycleEvent,
  type LifecycleEventKind,
  type LifecycleState,
  transition,
} from './lifecycle.js';

export const DANA = { slackUserId: 'U_DANA', name: 'Dana' };
export const SAM = { slackUserId: 'U_SAM', name: 'Sam' };
export const context: LifecycleContext = {
  joinTemplate: '{agent} has joined.',
  customerWatching: false,
  canEmail: true,
};
export const newHandoff = (over: Partial<NewHandoff> = {}): NewHandoff => ({
  id: 'h_new',
  reason: 'requested',
  detail: 'asked',
  channel: 'C_SUPPORT',
  summary: { issue: '', facts: { orderNumbers: [], emails: [], phoneNumbers: [], amounts: [] }, tried: [] },
  sentiment: 0,
  assignedTo: ['U_SAM'],
  assignedAgent: 'U_SAM',
  agentsAvailable: true,
  notice: 'Someone is coming.',
  ...over,
});

/** The handoff each status typically has: none with the assistant, open while waiting, Dana's once claimed. */
export function stateFor(status: ConversationStatus): LifecycleState {
  const base: HandoffFacts = {
    id: 'h_1',
    channel: 'C_SUPPORT',
    resolved: false,
    cardPosted: true,
    escalationLevel: 0,
    assignedTo: ['U_SAM'],
  };
  const handoff: Record<ConversationStatus, HandoffFacts | undefined> = {
    bot: undefined,
    waiting: base,
    queued: base,
    claimed: { ...base, claimedBy: DANA },
    resolved: { ...base, claimedBy: DANA, resolved: true },
  };
  return { status, handoff: handoff[status], followUpTo: 'pat@example.com' };
}

export const events: { [K in LifecycleEventKind]: Extract<LifecycleEvent, { kind: K }> } = {
  customer_message: { kind: 'customer_message', messageId: 'm_1' },
  late_relay: { kind: 'late_relay', messageId: 'm_1' },
  trigger: { kind: 'trigger', handoff: newHandoff({ reason: 'low_confidence' }) },
  request: { kind: 'request', handoff: newHandoff() },
  takeover: { kind: 'takeover', handoff: newHandoff({ reason: 'agent_takeover' }), agent: DANA },
  claim: { kind: 'claim', agent: SAM },
  agent_reply: { kind: 'agent_reply', agent: DANA, messageId: 'm_2', text: 'Hi!' },
  transfer_to_agent: { kind: 'transfer_to_agent', actor: 'U_DANA', asAdmin: false, agent: SAM },
  transfer_to_channel: {
    kind: 'transfer_to_channel',
    actor: 'U_DANA',
    asAdmin: false,
    channel: 'C_BILLING',
    handoff: newHandoff({ id: 'h_2' }),
  },
  card_posted: { kind: 'card_posted', channel: 'C_SUPPORT', ts: '1.1' },
  card_failed: { kind: 'card_failed', code: 'channel_not_found' },
  email_left: { kind: 'email_left', email: 'pat@example.com' },
  resolve: { kind: 'resolve', actor: DANA, asAdmin: false },
  rate: { kind: 'rate', score: 5 },
  escalate: { kind: 'escalate', waitedMinutes: 6, mention: ['U_ALEX'] },
};

export const effectsOf = (
  status: ConversationStatus,
  event: LifecycleEvent,
  ctx = context,
  state = stateFor(status),
) => {
  const result = transition(state, event, ctx);
  if (!result.ok) throw new Error(`refused: ${result.refusal.code}`);
  return result.effects;
};
export const kinds = (effects: { kind: string }[]) => effects.map((e) => e.kind);
