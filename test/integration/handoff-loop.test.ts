import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA, SANDBOX_AGENT_SAM } from '../../src/sandbox/default-workspace.js';
import { type Harness, type Session, slashCommand, startHarness, waitForCard } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

async function handedOff(text = 'Can I talk to a real person please?') {
  const s = await h.chat.start({
    customer: { name: 'Jamie <!channel>', email: 'jamie@example.com' },
    pageUrl: 'https://shop.example/checkout',
  });
  await h.chat.send(s, 'Where is my order #NW-482913? I ordered last week.');
  await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot'));
  await h.chat.send(s, text);
  await h.chat.waitFor(s, (r) => r.status === 'waiting');
  const card = await waitForCard(h.sandbox);
  return { s, card };
}

async function claim(s: Session, cardTs: string, user = SANDBOX_AGENT_DANA) {
  const res = await h.sandbox.clickButton(user, h.sandbox.handoffChannelId, cardTs, 'baton_claim');
  expect(res.status).toBe(200);
  const claimed = await h.chat.waitFor(s, (r) => r.status === 'claimed' && r);
  // The outbox redraws the card (now with Resolve) after the claim commits; an agent can only click
  // what Slack shows, so the tests wait for it too.
  await h.sandbox.waitFor(() =>
    h.sandbox
      .readChannel(h.sandbox.handoffChannelId)
      .find((m) => m.ts === cardTs && JSON.stringify(m.blocks ?? []).includes('baton_resolve')),
  );
  return claimed;
}

describe('the handoff loop', () => {
  it('answers a knowledge-base question with cited articles', async () => {
    const s = await h.chat.start();
    await h.chat.send(s, 'How long does standard shipping take?');
    const reply = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'bot'));
    expect(reply.articles?.length).toBeGreaterThan(0);
    expect(reply.articles?.slice(0, 3).map((a) => a.id)).toContain('shipping-rates-and-delivery-times');
    expect(reply.text.length).toBeGreaterThan(20);
    const state = await h.chat.messages(s);
    expect(state.json.conversation.status).toBe('bot');
  });

  it('posts an escaped card with the reason, customer, summary and a Claim button', async () => {
    const { s, card } = await handedOff();
    const state = await h.chat.messages(s);
    expect(
      state.json.messages.some(
        (m: { author: string; text: string }) => m.author === 'system' && /person/.test(m.text),
      ),
    ).toBe(true);
    const blocks = JSON.stringify(card.blocks);
    expect(blocks).toContain('Customer asked for a person');
    expect(blocks).toContain('Jamie &lt;!channel&gt;');
    expect(blocks).not.toContain('<!channel>');
    expect(blocks).toContain('jamie@example.com');
    expect(blocks).toContain('https://shop.example/checkout');
    expect(blocks).toContain('NW-482913');
    expect(blocks).toMatch(/Where is my order/);
    const actions = (card.blocks as { type: string; elements?: { action_id: string }[] }[]).find(
      (b) => b.type === 'actions',
    );
    expect(actions?.elements?.map((e) => e.action_id)).toEqual(['baton_claim']);
    const post = h.sandbox.calls().find((c) => c.method === 'chat.postMessage' && c.response.ts === card.ts);
    expect(String(post?.args.unfurl_links)).toBe('false');
    expect(String(post?.args.unfurl_media)).toBe('false');
  });

  it('lets the first agent claim; a second click is told who has it', async () => {
    const { s, card } = await handedOff();
    const ch = h.sandbox.handoffChannelId;
    // Both click before the card updates, as two agents looking at the same card would. The three
    // requests race, so whichever claim the store takes first wins; the other agent is told who has it.
    const clicks = await Promise.all([
      h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_claim'),
      h.sandbox.clickButton(SANDBOX_AGENT_SAM, ch, card.ts, 'baton_claim'),
      h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_claim'),
    ]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200, 200]);
    const state = await h.chat.waitFor(s, (r) => r.status === 'claimed' && r);
    const agents = { Dana: SANDBOX_AGENT_DANA, Sam: SANDBOX_AGENT_SAM } as const;
    const winner = state.agent?.name;
    if (winner !== 'Dana' && winner !== 'Sam') throw new Error(`claimed by ${String(winner)}`);
    const loser = winner === 'Dana' ? 'Sam' : 'Dana';
    expect(
      state.messages.some((m) => m.author === 'system' && m.text.startsWith(`${winner} has joined`)),
    ).toBe(true);

    const ephemeral = await h.sandbox.waitFor(() =>
      h.sandbox.ephemeralsFor(agents[loser]).find((e) => e.text.includes(`Already claimed by ${winner}`)),
    );
    expect(ephemeral).toBeTruthy();
    const updated = await h.sandbox.waitFor(() => {
      const m = h.sandbox.readChannel(ch).find((x) => x.ts === card.ts);
      return m && JSON.stringify(m.blocks).includes('Claimed by') && m;
    });
    expect(JSON.stringify(updated.blocks)).not.toContain('baton_claim');
    const after = await h.chat.messages(s);
    expect(after.json.messages.filter((m: { text: string }) => /has joined/.test(m.text))).toHaveLength(1);
    const updates = h.sandbox.calls().filter((c) => c.method === 'chat.update' && c.args.ts === card.ts);
    expect(updates).toHaveLength(1);
    // The claim is confirmed once, in the thread (a message that lasts), not in an ephemeral.
    const notices = await h.sandbox.waitFor(() => {
      const found = h.sandbox.readThread(ch, card.ts).filter((m) => m.text.includes('has this conversation'));
      return found.length > 0 && found;
    });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain(`<@${agents[winner]}> has this conversation`);
    expect(
      h.sandbox.ephemeralsFor(agents[winner]).some((e) => e.text.includes('have this conversation')),
    ).toBe(false);
  });

  it('relays both ways, keeps notes and other agents internal, and follows edits and deletions', async () => {
    const { s, card } = await handedOff();
    await claim(s, card.ts);
    const ch = h.sandbox.handoffChannelId;

    const hello = await h.sandbox.postMessageAs(
      SANDBOX_AGENT_DANA,
      ch,
      'Hi Jamie, I can see order <https://shop.example/o/1|#NW-482913> &amp; will check.',
      { threadTs: card.ts },
    );
    await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, 'note: customer seems upset', {
      threadTs: card.ts,
    });
    await h.sandbox.postMessageAs(SANDBOX_AGENT_SAM, ch, 'Sam here, want help?', { threadTs: card.ts });
    const relayed = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'agent'));
    expect(relayed.agent?.name).toBe('Dana');
    expect(relayed.text).toBe(
      'Hi Jamie, I can see order #NW-482913 (https://shop.example/o/1) & will check.',
    );

    await h.chat.send(s, 'Thanks! <!here> <https://evil.example|Reset password>');
    const inThread = await h.sandbox.waitFor(() =>
      h.sandbox.readThread(ch, card.ts).find((m) => m.text.includes('Reset password')),
    );
    expect(inThread.text).toContain('&lt;!here&gt;');
    expect(inThread.text).toContain('&lt;https://evil.example|Reset password&gt;');
    expect(inThread.text).toContain('Jamie');

    await h.sandbox.editMessageAs(
      SANDBOX_AGENT_DANA,
      ch,
      hello.ts,
      'Hi Jamie, checking order #NW-482913 now.',
    );
    await h.chat.waitFor(s, (r) =>
      r.messages.find(
        (m) => m.author === 'agent' && m.editedAt && m.text === 'Hi Jamie, checking order #NW-482913 now.',
      ),
    );
    await h.sandbox.deleteMessageAs(SANDBOX_AGENT_DANA, ch, hello.ts);
    await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'agent' && m.deleted));

    const all = (await h.chat.messages(s)).json.messages as { author: string; text: string }[];
    expect(all.filter((m) => m.author === 'agent')).toHaveLength(1);
    expect(all.some((m) => /customer seems upset|Sam here/.test(m.text))).toBe(false);
  });

  it('relays a redelivered event once', async () => {
    const { s, card } = await handedOff();
    await claim(s, card.ts);
    const ch = h.sandbox.handoffChannelId;
    const first = await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, 'Only once please', {
      threadTs: card.ts,
    });
    const message = h.sandbox.readThread(ch, card.ts).find((m) => m.ts === first.ts)!;
    const body = {
      token: 'x',
      team_id: 'T0BATON01',
      api_app_id: 'A0BATON01',
      type: 'event_callback',
      event_id: first.eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'message',
        user: SANDBOX_AGENT_DANA,
        text: message.text,
        ts: message.ts,
        thread_ts: card.ts,
        channel: ch,
        channel_type: 'channel',
        event_ts: message.ts,
      },
    };
    const retries = await Promise.all([
      h.sandbox.deliverEvent(body, { retryNum: 1, retryReason: 'http_timeout' }),
      h.sandbox.deliverEvent(body, { retryNum: 2, retryReason: 'http_timeout' }),
    ]);
    expect(retries.map((r) => r.status)).toEqual([200, 200]);
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.text === 'Only once please'));
    const all = (await h.chat.messages(s)).json.messages as { text: string }[];
    expect(all.filter((m) => m.text === 'Only once please')).toHaveLength(1);
  });

  it('resolves from the card, asks for CSAT and shows the score on the card and in the thread', async () => {
    const { s, card } = await handedOff();
    await claim(s, card.ts);
    const ch = h.sandbox.handoffChannelId;
    const early = await h.chat.csat(s, 5);
    expect(early.status).toBe(409);

    await h.sandbox.clickButton(SANDBOX_AGENT_SAM, ch, card.ts, 'baton_resolve');
    await h.sandbox.waitFor(() =>
      h.sandbox.ephemeralsFor(SANDBOX_AGENT_SAM).find((e) => /Dana has this conversation/.test(e.text)),
    );
    expect((await h.chat.messages(s)).json.conversation.status).toBe('claimed');

    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_resolve');
    const resolved = await h.chat.waitFor(s, (r) => r.status === 'resolved' && r);
    expect(resolved.messages.at(-1)?.text).toBe('Conversation resolved by Dana.');
    const rated = await h.chat.csat(s, 4, 'quick and kind <!channel>');
    expect(rated.status).toBe(201);
    const updated = await h.sandbox.waitFor(() => {
      const m = h.sandbox.readChannel(ch).find((x) => x.ts === card.ts);
      return m && JSON.stringify(m.blocks).includes('(4/5)') && m;
    });
    expect(JSON.stringify(updated.blocks)).toContain('Resolved by');
    expect(JSON.stringify(updated.blocks)).toContain('quick and kind &lt;!channel&gt;');
    const notices = await h.sandbox.waitFor(() => {
      const thread = h.sandbox.readThread(ch, card.ts).map((m) => m.text);
      return thread.some((t) => t.includes('rated the chat')) && thread;
    });
    expect(notices.some((t) => t.includes('Resolved by Dana'))).toBe(true);
  });

  it('resolves with /baton resolve for the agent who claimed it', async () => {
    const { s, card } = await handedOff();
    await claim(s, card.ts);
    const res = await slashCommand(h.sandbox, SANDBOX_AGENT_DANA, h.sandbox.handoffChannelId, 'resolve');
    expect(res.text).toContain('Resolved');
    await h.chat.waitFor(s, (r) => r.status === 'resolved');
    const again = await slashCommand(h.sandbox, SANDBOX_AGENT_DANA, h.sandbox.handoffChannelId, 'resolve');
    expect(again.text).toContain('no open conversations');
  });

  it('keeps the AI quiet after a handoff', async () => {
    const { s } = await handedOff();
    await h.chat.send(s, 'How long does standard shipping take?');
    await h.sandbox.waitFor(() =>
      h.sandbox
        .calls()
        .find((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('standard shipping')),
    );
    // Let any background work finish, so a late assistant reply would be counted.
    await h.baton.settle();
    const all = (await h.chat.messages(s)).json.messages as { author: string }[];
    const botCount = all.filter((m) => m.author === 'bot').length;
    expect(botCount).toBe(1);
  });
});
