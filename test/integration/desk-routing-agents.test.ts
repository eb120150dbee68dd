import { afterEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_AGENT_SAM as SAM,
  SANDBOX_BOT_USER_ID as BOT,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../../src/sandbox/default-workspace.js';
import {
  assignedTo,
  baton,
  claim,
  h,
  handOff,
  handoffRow,
  start,
  stopHarness,
} from './desk-routing-helpers.js';

/**
 * Routing at handoff time with several agents: presence set in Baton or Slack's, capacity, skills and
 * load. Escalation and business hours: desk-routing-escalation-hours.test.ts.
 */

afterEach(stopHarness);

/** Baton's direct messages to an agent (the sandbox keeps a bot DM as channel D + the user id's tail). */
const dmsTo = (user: string) =>
  h!.sandbox
    .readChannel(`D${user.slice(1)}`)
    .filter((m) => m.user === BOT && /A customer needs you/.test(m.text));

async function expectRoutedTo(conversationId: string, cardText: string, agent: string) {
  expect(await assignedTo(conversationId)).toEqual([agent]);
  expect(cardText).toContain(`<@${agent}>`);
}

describe('routing a handoff to an agent', () => {
  it('round robin alternates between the available agents, each told by DM', async () => {
    await start();
    await baton(ALEX, 'presence offline');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { s, card } = await handOff();
      const [agent] = await assignedTo(s.id);
      order.push(agent!);
      expect(card.text).toContain(`<@${agent}>`);
      expect(JSON.stringify(card.blocks)).toContain(`routed to <@${agent}>`);
    }
    expect(order).toEqual([DANA, SAM, DANA, SAM]);
    await h!.sandbox.waitFor(() => dmsTo(DANA).length === 2 && dmsTo(SAM).length === 2);
    expect(dmsTo(DANA)[0]!.text).toContain(`<#${HANDOFFS}>`);
    expect(dmsTo(ALEX)).toEqual([]);
    const dmCalls = h!.sandbox
      .calls()
      .filter((c) => c.method === 'chat.postMessage' && [DANA, SAM, ALEX].includes(String(c.args.channel)));
    expect(dmCalls.map((c) => c.args.channel).sort()).toEqual([DANA, DANA, SAM, SAM]);
  });

  it('gives nothing to busy, away or offline agents; with nobody left the handoff is queued', async () => {
    await start();
    await baton(DANA, 'presence busy');
    await baton(SAM, 'presence away');
    for (let i = 0; i < 3; i++) {
      const { s, card } = await handOff();
      await expectRoutedTo(s.id, card.text, ALEX);
    }
    await h!.sandbox.waitFor(() => dmsTo(ALEX).length === 3);
    expect(dmsTo(DANA)).toEqual([]);
    expect(dmsTo(SAM)).toEqual([]);

    await baton(ALEX, 'presence offline');
    const { s, card } = await handOff();
    const state = await h!.chat.waitFor(s, (r) => r.status === 'queued' && r);
    expect(
      state.messages.some((m) => m.author === 'system' && /No one from our team is available/.test(m.text)),
    ).toBe(true);
    expect(await assignedTo(s.id)).toEqual([]);
    const header = (card.blocks as { type: string; text?: { text: string } }[]).find(
      (b) => b.type === 'header',
    );
    expect(header?.text?.text).toMatch(/^Offline follow-up: /);
    expect(JSON.stringify(card.blocks)).toContain('no email left yet');
  });

  it('counts an agent at capacity as busy', async () => {
    await start();
    await baton(ALEX, 'presence offline');
    await baton(ALEX, `capacity <@${DANA}> 1`);
    const first = await handOff();
    await expectRoutedTo(first.s.id, first.card.text, DANA);
    await claim(first.s, first.card.ts, DANA);
    expect(await baton(SAM, 'presence')).toContain(`<@${DANA}> busy (from Slack) · 1/1 open`);
    // Round robin alone would pick Dana again next time; at capacity she gets nothing.
    const second = await handOff();
    await expectRoutedTo(second.s.id, second.card.text, SAM);
    const third = await handOff();
    await expectRoutedTo(third.s.id, third.card.text, SAM);
    // Once she resolves, she is available again.
    expect(await baton(DANA, 'resolve')).toContain('Resolved.');
    const fourth = await handOff();
    await expectRoutedTo(fourth.s.id, fourth.card.text, DANA);
  });

  it('follows Slack presence for an agent without a presence set in Baton', async () => {
    await start();
    // Before any routing: Slack presence is cached for a minute.
    h!.sandbox.setUserPresence(SAM, 'away');
    await baton(ALEX, 'presence offline');
    expect(await baton(DANA, 'presence')).toContain(`<@${SAM}> away (from Slack)`);
    for (let i = 0; i < 2; i++) {
      const { s, card } = await handOff();
      await expectRoutedTo(s.id, card.text, DANA);
    }
    // An explicit presence wins over Slack's.
    await baton(SAM, 'presence available');
    const { s } = await handOff();
    expect(await assignedTo(s.id)).toEqual([SAM]);
  });

  it('skill routing picks the agent with the topic as a skill, and anyone when nobody has it', async () => {
    await start();
    await baton(ALEX, 'presence offline');
    await baton(ALEX, 'routing skill');
    await baton(ALEX, `skills <@${SAM}> billing`);
    for (let i = 0; i < 2; i++) {
      const { s, card } = await handOff('I was charged twice for my order');
      expect((await handoffRow(s.id)).topic).toBe('billing');
      await expectRoutedTo(s.id, card.text, SAM);
    }
    // No topic at all: anyone available, in rotation (Dana has waited longest).
    const plain = await handOff();
    expect((await handoffRow(plain.s.id)).topic).toBeNull();
    expect(await assignedTo(plain.s.id)).toEqual([DANA]);
    // The skilled agent is away: someone else rather than no one.
    await baton(SAM, 'presence away');
    const fallback = await handOff('I was charged twice for my order');
    expect((await handoffRow(fallback.s.id)).topic).toBe('billing');
    expect(await assignedTo(fallback.s.id)).toEqual([DANA]);
  });

  it('load-balanced picks the agent with the fewest open conversations', async () => {
    await start();
    await baton(ALEX, 'presence offline');
    const a = await handOff();
    const b = await handOff();
    expect([await assignedTo(a.s.id), await assignedTo(b.s.id)]).toEqual([[DANA], [SAM]]);
    await claim(a.s, a.card.ts, DANA);
    await claim(b.s, b.card.ts, DANA);
    await baton(ALEX, 'routing load-balanced');
    // Dana has 2 open, Sam 0; after Sam claims one he still has fewer than Dana.
    const c = await handOff();
    expect(await assignedTo(c.s.id)).toEqual([SAM]);
    await claim(c.s, c.card.ts, SAM);
    const d = await handOff();
    expect(await assignedTo(d.s.id)).toEqual([SAM]);
  });

  it('first-available notifies every available agent on the card', async () => {
    await start();
    await baton(ALEX, 'routing first-available');
    await baton(SAM, 'presence busy');
    const { s, card } = await handOff();
    expect(await assignedTo(s.id)).toEqual([ALEX, DANA]);
    expect(card.text).toContain(`<@${ALEX}>`);
    expect(card.text).toContain(`<@${DANA}>`);
    expect(card.text).not.toContain(`<@${SAM}>`);
    expect(JSON.stringify(card.blocks)).toContain(`notified <@${ALEX}> <@${DANA}>`);
  });
});
