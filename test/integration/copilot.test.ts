import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import { type Harness, type Session, startHarness, waitForCard } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

/** A customer question the knowledge base answers, then a handoff; Dana claims; her suggestion appears. */
async function claimedWithSuggestion(): Promise<{
  s: Session;
  cardTs: string;
  suggestionTs: string;
  text: string;
}> {
  const s = await h.chat.start();
  await h.chat.send(s, 'How do I reset my password?');
  await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot'));
  await h.chat.send(s, 'I still need help, can I talk to a person?');
  const card = await waitForCard(h.sandbox);
  await h.sandbox.clickButton(SANDBOX_AGENT_DANA, h.sandbox.handoffChannelId, card.ts, 'baton_claim');
  const suggestion = await h.sandbox.waitFor(() =>
    h.sandbox
      .ephemeralsFor(SANDBOX_AGENT_DANA)
      .find((e) => JSON.stringify(e.blocks ?? []).includes('baton_copilot_send')),
  );
  return { s, cardTs: card.ts, suggestionTs: suggestion.ts, text: JSON.stringify(suggestion.blocks) };
}

const agentMessages = async (s: Session) =>
  ((await h.chat.messages(s)).json.messages as { author: string; text: string }[]).filter(
    (m) => m.author === 'agent',
  );

describe('agent copilot', () => {
  it('offers the claiming agent a private suggestion from the knowledge base, and the AI stays quiet', async () => {
    const { s, text, suggestionTs } = await claimedWithSuggestion();
    expect(text).toMatch(/password/i);
    expect(text).toContain('baton_copilot_edit');
    expect(text).toContain('baton_copilot_dismiss');
    expect(
      h.sandbox.ephemeralsFor(SANDBOX_AGENT_DANA).find((e) => e.ts === suggestionTs)?.thread_ts,
    ).toBeDefined();
    expect(await agentMessages(s)).toHaveLength(0);
  });

  it('Send relays the suggestion to the customer as the agent, once, and shows it in the thread', async () => {
    const { s, cardTs, suggestionTs } = await claimedWithSuggestion();
    const ch = h.sandbox.handoffChannelId;
    const clicks = await Promise.all([
      h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, suggestionTs, 'baton_copilot_send', { ephemeral: true }),
      h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, suggestionTs, 'baton_copilot_send', { ephemeral: true }),
    ]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    const sent = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'agent'));
    expect(sent.agent?.name).toBe('Dana');
    expect(sent.text).toMatch(/password/i);
    await h.sandbox.waitFor(() =>
      h.sandbox.readThread(ch, cardTs).find((m) => m.text.includes('sent the suggested reply')),
    );
    expect(await agentMessages(s)).toHaveLength(1);
  });

  it('Edit opens a pre-filled modal and sends what the agent wrote', async () => {
    const { s, suggestionTs } = await claimedWithSuggestion();
    await h.sandbox.clickButton(
      SANDBOX_AGENT_DANA,
      h.sandbox.handoffChannelId,
      suggestionTs,
      'baton_copilot_edit',
      {
        ephemeral: true,
      },
    );
    const modal = await h.sandbox.waitFor(() => h.sandbox.openModalsFor(SANDBOX_AGENT_DANA)[0]);
    expect(JSON.stringify(modal.view)).toMatch(/password/i);
    const empty = await h.sandbox.submitView(SANDBOX_AGENT_DANA, modal.id, {
      reply: { text: { type: 'plain_text_input', value: '  ' } },
    });
    expect(empty.body).toContain('Write a reply before sending.');
    await h.sandbox.submitView(SANDBOX_AGENT_DANA, modal.id, {
      reply: { text: { type: 'plain_text_input', value: 'Hi! Use "Forgot password" on the sign-in page.' } },
    });
    const sent = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'agent'));
    expect(sent.text).toBe('Hi! Use "Forgot password" on the sign-in page.');
  });

  it('Dismiss removes the suggestion and sends nothing', async () => {
    const { s, suggestionTs } = await claimedWithSuggestion();
    await h.sandbox.clickButton(
      SANDBOX_AGENT_DANA,
      h.sandbox.handoffChannelId,
      suggestionTs,
      'baton_copilot_dismiss',
      {
        ephemeral: true,
      },
    );
    await h.sandbox.waitFor(
      () => !h.sandbox.ephemeralsFor(SANDBOX_AGENT_DANA).some((e) => e.ts === suggestionTs) || undefined,
    );
    const late = await h.sandbox
      .clickButton(SANDBOX_AGENT_DANA, h.sandbox.handoffChannelId, suggestionTs, 'baton_copilot_send', {
        ephemeral: true,
      })
      .catch((error: Error) => error);
    expect(late).toBeInstanceOf(Error);
    expect(await agentMessages(s)).toHaveLength(0);
  });
});
