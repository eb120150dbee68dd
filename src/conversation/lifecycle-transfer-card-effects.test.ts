// What a step commits around the handoff card: transfers, the card posted or refused, escalation, ratings.
// Opening, claiming, replying and resolving are in lifecycle-handoff-effects.test.ts.
import { describe, expect, it } from 'vitest';
import { transition } from './lifecycle.js';
import { context, DANA, effectsOf, events, kinds, stateFor } from './lifecycle-fixtures.js';

// Same describe name as its sibling file so each test keeps its full name from before the split.
describe('what each step commits', () => {
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
