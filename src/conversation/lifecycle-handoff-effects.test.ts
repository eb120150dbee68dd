// What a step commits from the handoff opening to its resolution: open, relay, claim, take over, reply, resolve.
// Transfers, cards, escalation and ratings are in lifecycle-transfer-card-effects.test.ts.
import { describe, expect, it } from 'vitest';
import { transition } from './lifecycle.js';
import { context, DANA, effectsOf, events, kinds, newHandoff, SAM, stateFor } from './lifecycle-fixtures.js';

// Same describe name as its sibling file so each test keeps its full name from before the split.
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
});
