import { refuseInserts } from '../support/refuse-inserts.js';
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
    h.sandbox.readChannel(DM).find((m) => JSON.stringify(m.blocks ?? []).includes('baton_copilot_send')),
  );
  return { s, cardTs: card.ts, suggestionTs: suggestion.ts, text: JSON.stringify(suggestion.blocks) };
}

/** Baton's direct messages with Dana (the sandbox keeps a bot DM as channel D + the user id's tail). */
const DM = `D${SANDBOX_AGENT_DANA.slice(1)}`;

const agentMessages = async (s: Session) =>
  ((await h.chat.messages(s)).json.messages as { author: string; text: string }[]).filter(
    (m) => m.author === 'agent',
  );

describe('agent copilot', () => {
  it('sends the claiming agent a suggestion by direct message, linked to the thread, and the AI stays quiet', async () => {
    const { s, text, cardTs } = await claimedWithSuggestion();
    expect(text).toMatch(/password/i);
    expect(text).toContain('baton_copilot_edit');
    expect(text).toContain('baton_copilot_dismiss');
    // A real message (it survives a reload), not an ephemeral one, with a link back to the card's thread.
    expect(
      h.sandbox
        .ephemeralsFor(SANDBOX_AGENT_DANA)
        .some((e) => JSON.stringify(e.blocks ?? []).includes('copilot')),
    ).toBe(false);
    expect(text).toContain(`/#/${h.sandbox.handoffChannelId}/${cardTs}|the conversation you claimed>`);
    expect(await agentMessages(s)).toHaveLength(0);
    // Dana reloads Slack: ephemeral messages are gone, the suggestion is still there to act on.
    h.sandbox.reloadClient(SANDBOX_AGENT_DANA);
    expect(h.sandbox.ephemeralsFor(SANDBOX_AGENT_DANA)).toEqual([]);
    expect(
      h.sandbox.readChannel(DM).some((m) => JSON.stringify(m.blocks ?? []).includes('baton_copilot_send')),
    ).toBe(true);
  });

  it('still reaches the agent, once, when Slack fails the first posts after the claim', async () => {
    const s = await h.chat.start();
    await h.chat.send(s, 'How do I reset my password?');
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot'));
    await h.chat.send(s, 'I still need help, can I talk to a person?');
    const card = await waitForCard(h.sandbox);
    h.sandbox.setFault('chat.postMessage', { kind: 'error', error: 'internal_error' }, 3);
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, h.sandbox.handoffChannelId, card.ts, 'baton_claim');
    await h.sandbox.waitFor(
      () =>
        h.sandbox.readChannel(DM).find((m) => JSON.stringify(m.blocks ?? []).includes('baton_copilot_send')),
      15_000,
    );
    // The fault did fire: three posts were refused before the ones that went through.
    expect(h.sandbox.calls().filter((c) => c.response.error === 'internal_error')).toHaveLength(3);
    await h.baton.settle();
    const suggestions = h.sandbox
      .readChannel(DM)
      .filter((m) => JSON.stringify(m.blocks ?? []).includes('baton_copilot_send'));
    expect(suggestions).toHaveLength(1);
  }, 30_000);

  it('Send relays the suggestion to the customer as the agent, once, and shows it in the thread', async () => {
    const { s, cardTs, suggestionTs } = await claimedWithSuggestion();
    const ch = h.sandbox.handoffChannelId;
    const clicks = await Promise.all([
      h.sandbox.clickButton(SANDBOX_AGENT_DANA, DM, suggestionTs, 'baton_copilot_send'),
      h.sandbox.clickButton(SANDBOX_AGENT_DANA, DM, suggestionTs, 'baton_copilot_send'),
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

  it('a reply sent from a suggestion gets its delivery marks on the thread post that shows it', async () => {
    const { s, cardTs, suggestionTs } = await claimedWithSuggestion();
    const ch = h.sandbox.handoffChannelId;
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, DM, suggestionTs, 'baton_copilot_send');
    const sent = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'agent'));
    // Reported at once, likely before the thread post is made: the marks wait for it.
    const res = await h.chat.call('POST', `/conversations/${s.id}/receipts`, s.token, {
      delivered: sent.seq,
      seen: [sent.seq],
    });
    expect(res.status).toBe(204);
    const post = await h.sandbox.waitFor(() =>
      h.sandbox.readThread(ch, cardTs).find((m) => m.text.includes('sent the suggested reply')),
    );
    await h.sandbox.waitFor(() => h.sandbox.reactionsOn(ch, post.ts).length === 2);
    expect(h.sandbox.reactionsOn(ch, post.ts).map((r) => r.name)).toEqual(['white_check_mark', 'eyes']);
  });

  it('Edit opens a pre-filled modal and sends what the agent wrote', async () => {
    const { s, suggestionTs } = await claimedWithSuggestion();
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, DM, suggestionTs, 'baton_copilot_edit');
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

  it('Edit tells the agent to click again when Slack refuses the modal (expired trigger), and parks nothing', async () => {
    const { suggestionTs } = await claimedWithSuggestion();
    h.sandbox.setFault('views.open', { kind: 'error', error: 'expired_trigger_id' }, 1);
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, DM, suggestionTs, 'baton_copilot_edit');
    await h.sandbox.waitFor(() =>
      h.sandbox.ephemeralsFor(SANDBOX_AGENT_DANA).find((e) => e.text.includes('Click Edit again')),
    );
    await h.baton.settle();
    const rows = await h.baton.deps.db.selectFrom('slack_inbox').select('state').execute();
    expect(rows.filter((r) => r.state !== 'done')).toEqual([]);
  });

  it('Send that failed to store the reply is retried by the inbox and reaches the customer once', async () => {
    const { s, suggestionTs } = await claimedWithSuggestion();
    const db = h.baton.deps.db;
    // The database refuses new messages for a moment (as a full disk would).
    const allowInserts = await refuseInserts(db, 'messages');
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, DM, suggestionTs, 'baton_copilot_send');
    for (let i = 0; i < 100; i += 1) {
      const failed = await db
        .selectFrom('slack_inbox')
        .select('attempts')
        .where('kind', '=', 'action')
        .where('attempts', '>', 0)
        .executeTakeFirst();
      if (failed) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await allowInserts();
    const sent = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'agent'));
    expect(sent.text).toMatch(/password/i);
    await h.baton.settle();
    expect(await agentMessages(s)).toHaveLength(1);
  });

  it('Dismiss removes the suggestion and sends nothing', async () => {
    const { s, suggestionTs } = await claimedWithSuggestion();
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, DM, suggestionTs, 'baton_copilot_dismiss');
    await h.sandbox.waitFor(() => !h.sandbox.readChannel(DM).some((m) => m.ts === suggestionTs) || undefined);
    const late = await h.sandbox
      .clickButton(SANDBOX_AGENT_DANA, DM, suggestionTs, 'baton_copilot_send')
      .catch((error: Error) => error);
    expect(late).toBeInstanceOf(Error);
    expect(await agentMessages(s)).toHaveLength(0);
  });
});
