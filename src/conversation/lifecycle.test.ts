import { describe, expect, it } from 'vitest';
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

const DANA = { slackUserId: 'U_DANA', name: 'Dana' };
const SAM = { slackUserId: 'U_SAM', name: 'Sam' };
const context: LifecycleContext = {
  joinTemplate: '{agent} has joined.',
  customerWatching: false,
  canEmail: true,
};
const newHandoff = (over: Partial<NewHandoff> = {}): NewHandoff => ({
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
function stateFor(status: ConversationStatus): LifecycleState {
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

const events: { [K in LifecycleEventKind]: Extract<LifecycleEvent, { kind: K }> } = {
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

/** Every (status, event) pair: the status it leads to, or the refusal code. */
const TABLE: Record<LifecycleEventKind, Record<ConversationStatus, string>> = {
  customer_message: { bot: 'bot', waiting: 'waiting', queued: 'queued', claimed: 'claimed', resolved: 'bot' },
  trigger: {
    bot: 'waiting',
    waiting: '!not_with_assistant',
    queued: '!not_with_assistant',
    claimed: '!not_with_assistant',
    resolved: '!not_with_assistant',
  },
  request: { bot: 'waiting', waiting: 'waiting', queued: 'queued', claimed: 'claimed', resolved: 'waiting' },
  takeover: {
    bot: 'claimed',
    waiting: '!not_with_assistant',
    queued: '!not_with_assistant',
    claimed: '!not_with_assistant',
    resolved: '!not_with_assistant',
  },
  claim: {
    bot: '!no_handoff',
    waiting: 'claimed',
    queued: 'claimed',
    claimed: '!already_claimed',
    resolved: '!already_claimed',
  },
  late_relay: { bot: 'bot', waiting: 'waiting', queued: 'queued', claimed: 'claimed', resolved: 'resolved' },
  agent_reply: {
    bot: '!no_handoff',
    waiting: '!not_claimed',
    queued: '!not_claimed',
    claimed: 'claimed',
    resolved: '!closed',
  },
  transfer_to_agent: {
    bot: '!not_claimed',
    waiting: '!not_claimed',
    queued: '!not_claimed',
    claimed: 'claimed',
    resolved: '!not_claimed',
  },
  transfer_to_channel: {
    bot: '!closed',
    waiting: '!not_claimed',
    queued: '!not_claimed',
    claimed: 'waiting',
    resolved: '!closed',
  },
  card_posted: {
    bot: '!no_handoff',
    waiting: 'waiting',
    queued: 'queued',
    claimed: 'claimed',
    resolved: 'resolved',
  },
  card_failed: {
    bot: '!no_handoff',
    waiting: 'queued',
    queued: 'queued',
    claimed: 'claimed',
    resolved: 'resolved',
  },
  email_left: { bot: 'bot', waiting: 'waiting', queued: 'queued', claimed: 'claimed', resolved: 'resolved' },
  resolve: {
    bot: '!no_handoff',
    waiting: '!not_claimed',
    queued: '!not_claimed',
    claimed: 'resolved',
    resolved: '!closed',
  },
  rate: {
    bot: '!not_resolved',
    waiting: '!not_resolved',
    queued: '!not_resolved',
    claimed: '!not_resolved',
    resolved: 'resolved',
  },
  escalate: {
    bot: '!not_waiting',
    waiting: 'waiting',
    queued: '!not_waiting',
    claimed: '!not_waiting',
    resolved: '!not_waiting',
  },
};

describe('the conversation lifecycle: every (status, event) pair', () => {
  const statuses: ConversationStatus[] = ['bot', 'waiting', 'queued', 'claimed', 'resolved'];
  for (const [kind, row] of Object.entries(TABLE) as [
    LifecycleEventKind,
    Record<ConversationStatus, string>,
  ][]) {
    for (const status of statuses) {
      const expected = row[status];
      it(`${status} + ${kind} -> ${expected}`, () => {
        const result = transition(stateFor(status), events[kind], context);
        if (expected.startsWith('!')) {
          expect(result).toMatchObject({ ok: false, refusal: { code: expected.slice(1) } });
        } else {
          expect(result).toMatchObject({ ok: true, status: expected });
        }
      });
    }
  }
});

const effectsOf = (
  status: ConversationStatus,
  event: LifecycleEvent,
  ctx = context,
  state = stateFor(status),
) => {
  const result = transition(state, event, ctx);
  if (!result.ok) throw new Error(`refused: ${result.refusal.code}`);
  return result.effects;
};
const kinds = (effects: { kind: string }[]) => effects.map((e) => e.kind);

describe('what each step commits', () => {
  it('a handoff opens its record, posts its card, tells the customer and remembers the routed agent', () => {
    expect(kinds(effectsOf('bot', events.trigger))).toEqual([
      'open_handoff',
      'post_card',
      'mark_assigned',
      'customer_notice',
      'live_status',
    ]);
  });

  it('nobody available: the handoff queues with the offline promise', () => {
    const offline = {
      kind: 'request',
      handoff: newHandoff({ agentsAvailable: false, assignedTo: [] }),
    } as const;
    const result = transition(stateFor('bot'), offline, context);
    expect(result).toMatchObject({ ok: true, status: 'queued' });
    expect(kinds(effectsOf('bot', offline))).not.toContain('mark_assigned');
  });

  it('a broadcast to several agents remembers nobody for round robin', () => {
    const broadcast = {
      kind: 'trigger',
      handoff: newHandoff({ assignedTo: ['U_SAM', 'U_ALEX'], assignedAgent: undefined }),
    } as const;
    expect(kinds(effectsOf('bot', broadcast))).not.toContain('mark_assigned');
  });

  it('a late relay never reopens a resolved conversation', () => {
    expect(effectsOf('resolved', events.late_relay)).toEqual([]);
    expect(kinds(effectsOf('waiting', events.late_relay))).toEqual(['relay_to_thread']);
  });

  it('a teammate talking in a thread is not the claimer, whatever the status', () => {
    const sam = { ...events.agent_reply, agent: SAM };
    expect(transition(stateFor('resolved'), sam, context)).toMatchObject({
      ok: false,
      refusal: { code: 'not_yours' },
    });
    expect(transition(stateFor('resolved'), events.agent_reply, context)).toMatchObject({
      ok: false,
      refusal: { code: 'closed' },
    });
  });

  it('a customer line after a handoff is relayed to its thread; with the assistant it changes nothing', () => {
    expect(effectsOf('claimed', events.customer_message)).toEqual([
      { kind: 'relay_to_thread', handoffId: 'h_1', channel: 'C_SUPPORT', messageId: 'm_1' },
    ]);
    expect(effectsOf('bot', events.customer_message)).toEqual([]);
  });

  it('a claim commits the claim, the participant, the worded join line, a notice in the thread and a card update', () => {
    const effects = effectsOf('waiting', events.claim);
    expect(kinds(effects)).toEqual([
      'claim_handoff',
      'add_participant',
      'customer_notice',
      'live_status',
      'thread_notice',
      'update_card',
    ]);
    expect(effects).toContainEqual({ kind: 'customer_notice', notice: 'join', text: 'Sam has joined.' });
    expect(effects).toContainEqual(
      expect.objectContaining({
        kind: 'thread_notice',
        notice: { notice: 'claimed', agentId: SAM.slackUserId },
      }),
    );
  });

  it('a takeover opens a handoff already claimed, with no "someone is coming" line and nobody routed', () => {
    const effects = effectsOf('bot', events.takeover);
    expect(kinds(effects)).toEqual([
      'open_handoff',
      'post_card',
      'live_status',
      'claim_handoff',
      'add_participant',
      'customer_notice',
      'live_status',
      'thread_notice',
    ]);
    expect(effects).not.toContainEqual(expect.objectContaining({ notice: 'handoff' }));
  });

  it('only the claimer replies; the reply is emailed only to a customer who is away and left an address', () => {
    expect(transition(stateFor('claimed'), { ...events.agent_reply, agent: SAM }, context)).toMatchObject({
      ok: false,
      refusal: { code: 'not_yours', by: DANA },
    });
    expect(kinds(effectsOf('claimed', events.agent_reply))).toContain('email_follow_up');
    expect(
      kinds(effectsOf('claimed', events.agent_reply, { ...context, customerWatching: true })),
    ).not.toContain('email_follow_up');
    expect(kinds(effectsOf('claimed', events.agent_reply, { ...context, canEmail: false }))).not.toContain(
      'email_follow_up',
    );
    const copilot = effectsOf('claimed', { ...events.agent_reply, copilot: true });
    expect(copilot).toContainEqual(
      expect.objectContaining({
        kind: 'thread_notice',
        notice: expect.objectContaining({ notice: 'agent_sent' }),
      }),
    );
  });

  it('resolving marks the round end as data, updates the card and tells the thread', () => {
    const effects = effectsOf('claimed', events.resolve);
    expect(effects).toContainEqual({
      kind: 'customer_notice',
      notice: 'resolved',
      text: 'Conversation resolved by Dana.',
    });
    expect(kinds(effects)).toEqual([
      'close_handoff',
      'customer_notice',
      'live_status',
      'update_card',
      'thread_notice',
    ]);
  });

  it('someone else may not resolve a claimed conversation, an admin may; an unclaimed one needs an admin', () => {
    expect(
      transition(stateFor('claimed'), { kind: 'resolve', actor: SAM, asAdmin: false }, context),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'not_yours' },
    });
    expect(
      transition(stateFor('claimed'), { kind: 'resolve', actor: SAM, asAdmin: true }, context),
    ).toMatchObject({
      ok: true,
      status: 'resolved',
    });
    expect(
      transition(stateFor('waiting'), { kind: 'resolve', actor: SAM, asAdmin: true }, context),
    ).toMatchObject({
      ok: true,
    });
  });

  it('only the agent who has the conversation, or an admin, transfers it', () => {
    const bySam = {
      ...events.transfer_to_agent,
      actor: 'U_SAM',
      agent: { slackUserId: 'U_ALEX', name: 'Alex' },
    };
    expect(transition(stateFor('claimed'), bySam, context)).toMatchObject({
      ok: false,
      refusal: { code: 'not_yours' },
    });
    expect(transition(stateFor('claimed'), { ...bySam, asAdmin: true }, context)).toMatchObject({ ok: true });
    const unclaimed = { ...events.transfer_to_channel, asAdmin: true };
    expect(transition(stateFor('waiting'), unclaimed, context)).toMatchObject({
      ok: true,
      status: 'waiting',
    });
  });

  it('transfers are audited and announced in the same step; to the same agent or channel they are refused', () => {
    expect(kinds(effectsOf('claimed', events.transfer_to_agent))).toEqual(
      expect.arrayContaining(['reassign_handoff', 'audit', 'announce', 'customer_notice']),
    );
    expect(kinds(effectsOf('claimed', events.transfer_to_channel))).toEqual(
      expect.arrayContaining(['close_handoff', 'open_handoff', 'post_card', 'audit', 'announce']),
    );
    expect(
      transition(stateFor('claimed'), { ...events.transfer_to_agent, agent: DANA }, context),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'same_agent' },
    });
    expect(
      transition(stateFor('claimed'), { ...events.transfer_to_channel, channel: 'C_SUPPORT' }, context),
    ).toMatchObject({ ok: false, refusal: { code: 'same_channel' } });
  });

  it('a posted card calls the routed agents, or catches up when it was claimed on the way', () => {
    expect(kinds(effectsOf('waiting', events.card_posted))).toEqual(['record_card', 'dm_agent']);
    expect(kinds(effectsOf('claimed', events.card_posted))).toEqual(['record_card', 'update_card']);
  });

  it('a card Slack refused moves a waiting customer to the honest email follow-up, and nothing else', () => {
    expect(kinds(effectsOf('waiting', events.card_failed))).toEqual([
      'record_card_failure',
      'customer_notice',
      'live_status',
    ]);
    expect(kinds(effectsOf('claimed', events.card_failed))).toEqual(['record_card_failure']);
  });

  it('escalates twice at most: the next agent and the customer first, then the whole channel', () => {
    const first = effectsOf('waiting', events.escalate);
    expect(first).toContainEqual(expect.objectContaining({ kind: 'customer_notice', notice: 'slow' }));
    const second = effectsOf('waiting', events.escalate, context, {
      ...stateFor('waiting'),
      handoff: { ...stateFor('waiting').handoff!, escalationLevel: 1 },
    });
    expect(kinds(second)).not.toContain('customer_notice');
    expect(second).toContainEqual(
      expect.objectContaining({ notice: { notice: 'escalated', level: 2, waitedMinutes: 6, mention: [] } }),
    );
    expect(
      transition(
        { ...stateFor('waiting'), handoff: { ...stateFor('waiting').handoff!, escalationLevel: 2 } },
        events.escalate,
        context,
      ),
    ).toMatchObject({ ok: false, refusal: { code: 'escalated_enough' } });
    expect(
      transition(
        { ...stateFor('waiting'), handoff: { ...stateFor('waiting').handoff!, cardPosted: false } },
        events.escalate,
        context,
      ),
    ).toMatchObject({ ok: false, refusal: { code: 'not_waiting' } });
  });

  it('a rating updates the card and tells the thread; without a handoff it is only stored', () => {
    expect(kinds(effectsOf('resolved', events.rate))).toEqual(['set_csat', 'update_card', 'thread_notice']);
    expect(kinds(effectsOf('resolved', events.rate, context, { status: 'resolved' }))).toEqual(['set_csat']);
  });
});
