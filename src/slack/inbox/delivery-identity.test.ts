import { describe, expect, it } from 'vitest';
import { classifyDelivery } from './delivery-identity.js';

describe('classifyDelivery', () => {
  it('answers the URL verification challenge', () => {
    expect(classifyDelivery({ type: 'url_verification', challenge: 'abc' })).toEqual({
      route: 'challenge',
      challenge: 'abc',
    });
  });

  it('puts a thread reply, its edit and its deletion in the thread lane, named by event_id', () => {
    const envelope = (event: Record<string, unknown>) => ({ type: 'event_callback', event_id: 'Ev1', event });
    const reply = classifyDelivery(
      envelope({ type: 'message', channel: 'C1', user: 'U1', ts: '2.0', thread_ts: '1.0' }),
    );
    expect(reply).toEqual({ route: 'inbox', kind: 'event', deliveryId: 'event:Ev1', lane: 'thread:C1:1.0' });
    const edit = classifyDelivery(
      envelope({
        type: 'message',
        subtype: 'message_changed',
        channel: 'C1',
        message: { ts: '2.0', thread_ts: '1.0' },
      }),
    );
    expect(edit).toMatchObject({ lane: 'thread:C1:1.0' });
    const removal = classifyDelivery(
      envelope({
        type: 'message',
        subtype: 'message_deleted',
        channel: 'C1',
        deleted_ts: '2.0',
        previous_message: { thread_ts: '1.0' },
      }),
    );
    expect(removal).toMatchObject({ lane: 'thread:C1:1.0' });
  });

  it("drops the bot's own events before they are stored, exactly where Bolt's ignoreSelf would", () => {
    const self = { botUserId: 'UBOT', botId: 'BBOT' };
    const envelope = (event: Record<string, unknown>) => ({ type: 'event_callback', event_id: 'Ev2', event });
    const own = { route: 'ignore', why: 'own event' };
    // A post made with the bot token comes back with the bot's user id.
    expect(
      classifyDelivery(
        envelope({ type: 'message', channel: 'C1', user: 'UBOT', bot_id: 'BBOT', ts: '2.0' }),
        self,
      ),
    ).toEqual(own);
    expect(
      classifyDelivery(
        envelope({ type: 'message', subtype: 'bot_message', channel: 'C1', bot_id: 'BBOT', ts: '2.0' }),
        self,
      ),
    ).toEqual(own);
    expect(classifyDelivery(envelope({ type: 'app_home_opened', user: 'UBOT' }), self)).toEqual(own);
    // Kept: the bot joining a channel, another bot's post, an edit of the bot's post, and anything when the bot is unknown.
    for (const event of [
      { type: 'member_joined_channel', channel: 'C1', user: 'UBOT' },
      { type: 'message', subtype: 'bot_message', channel: 'C1', bot_id: 'BOTHER', ts: '2.0' },
      { type: 'message', channel: 'C1', user: 'U1', ts: '2.0' },
      { type: 'message', subtype: 'message_changed', channel: 'C1', message: { ts: '2.0', user: 'UBOT' } },
    ])
      expect(classifyDelivery(envelope(event), self)).toMatchObject({ route: 'inbox' });
    expect(
      classifyDelivery(envelope({ type: 'message', channel: 'C1', user: 'UBOT', ts: '2.0' })),
    ).toMatchObject({
      route: 'inbox',
    });
  });

  it('puts a click on a card in the lane of the card thread, named by trigger_id', () => {
    const click = classifyDelivery({
      type: 'block_actions',
      trigger_id: 'T.1',
      user: { id: 'U1' },
      channel: { id: 'C1' },
      message: { ts: '1.0' },
      actions: [{ action_ts: '3.0' }],
    });
    expect(click).toEqual({
      route: 'inbox',
      kind: 'action',
      deliveryId: 'action:T.1',
      lane: 'thread:C1:1.0',
    });
  });

  it('puts a slash command in the lane of its user', () => {
    expect(classifyDelivery({ command: '/baton', user_id: 'U1', trigger_id: 'T.2', text: 'help' })).toEqual({
      route: 'inbox',
      kind: 'command',
      deliveryId: 'command:T.2',
      lane: 'user:U1',
    });
  });

  it('answers a modal submission inline (its validation errors go in the acknowledgement)', () => {
    expect(classifyDelivery({ type: 'view_submission', view: {} })).toMatchObject({ route: 'inline' });
  });

  it('acknowledges app_rate_limited (Slack wants a 200) without recording it', () => {
    expect(
      classifyDelivery({ type: 'app_rate_limited', team_id: 'T1', minute_rate_limited: 1518467820 }),
    ).toEqual({ route: 'ignore', why: 'app_rate_limited' });
  });

  it('ignores what it does not know', () => {
    expect(classifyDelivery({ hello: 'world' })).toEqual({ route: 'ignore', why: 'unknown payload' });
  });
});
