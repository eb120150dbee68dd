import { afterEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_AGENT_DANA,
  SANDBOX_AGENT_SAM,
  SANDBOX_MEMBER_MORGAN,
} from '../../src/sandbox/default-workspace.js';
import { type OpenAiStub, startOpenAiStub } from '../support/openai-stub.js';
import { type Harness, type Session, startHarness, waitForCard } from './harness.js';

let h: Harness | undefined;
let stub: OpenAiStub | undefined;
afterEach(async () => {
  await h?.stop();
  await stub?.close();
  h = undefined;
  stub = undefined;
});

async function claimed(harness: Harness): Promise<{ s: Session; cardTs: string }> {
  const s = await harness.chat.start({ customer: { name: 'Jamie' } });
  await harness.chat.send(s, 'I want to talk to a person');
  const card = await waitForCard(harness.sandbox);
  await harness.sandbox.clickButton(
    SANDBOX_AGENT_DANA,
    harness.sandbox.handoffChannelId,
    card.ts,
    'baton_claim',
  );
  await harness.chat.waitFor(s, (r) => r.status === 'claimed');
  // The card is redrawn (with its Resolve button) by the outbox after the claim commits: wait for it.
  await harness.sandbox.waitFor(() =>
    harness.sandbox
      .readChannel(harness.sandbox.handoffChannelId)
      .find((m) => m.ts === card.ts && JSON.stringify(m.blocks ?? []).includes('baton_resolve')),
  );
  return { s, cardTs: card.ts };
}

describe('fixes from review', () => {
  it('keeps helping while the conversation waits for a follow-up, and relays the question too', async () => {
    h = await startHarness();
    for (const id of [SANDBOX_AGENT_DANA, SANDBOX_AGENT_SAM, 'U0ADMINALEX'])
      h.sandbox.setUserPresence(id, 'away');
    const s = await h.chat.start();
    await h.chat.send(s, 'I want to talk to a person');
    await h.chat.waitFor(s, (r) => r.status === 'queued');
    const card = await waitForCard(h.sandbox);
    await h.chat.send(s, 'Meanwhile, how long does standard shipping take?');
    const answer = await h.chat.waitFor(s, (r) =>
      r.messages.find((m) => m.author === 'bot' && /business days/.test(m.text)),
    );
    expect(answer.articles?.length).toBeGreaterThan(0);
    await h.sandbox.waitFor(() =>
      h!.sandbox
        .readThread(h!.sandbox.handoffChannelId, card.ts)
        .find((m) => m.text.includes('Meanwhile, how long')),
    );
    expect((await h.chat.messages(s)).json.conversation.status).toBe('queued');
  });

  it('withdraws a relayed reply that the agent edits into a private note', async () => {
    h = await startHarness();
    const { s, cardTs } = await claimed(h);
    const ch = h.sandbox.handoffChannelId;
    const reply = await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, 'Hi there', { threadTs: cardTs });
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'agent' && m.text === 'Hi there'));
    await h.sandbox.editMessageAs(SANDBOX_AGENT_DANA, ch, reply.ts, ';; internal: known fraudster');
    const state = await h.chat.waitFor(
      s,
      (r) => r.messages.find((m) => m.author === 'agent' && m.deleted) && r,
    );
    expect(JSON.stringify(state.messages)).not.toContain('fraudster');
  });

  it('tells an agent whose reply lands in a closed thread that it did not reach the customer', async () => {
    h = await startHarness();
    const { s, cardTs } = await claimed(h);
    const ch = h.sandbox.handoffChannelId;
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, cardTs, 'baton_resolve');
    await h.chat.waitFor(s, (r) => r.status === 'resolved');
    await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, 'One more thing!', { threadTs: cardTs });
    await h.sandbox.waitFor(() =>
      h!.sandbox.ephemeralsFor(SANDBOX_AGENT_DANA).find((e) => /already closed/.test(e.text)),
    );
    const messages = (await h.chat.messages(s)).json.messages as { text: string }[];
    expect(messages.some((m) => m.text === 'One more thing!')).toBe(false);
  });

  it('shows live customer chats in App Home only to agents', async () => {
    h = await startHarness();
    const s = await h.chat.start({ customer: { name: 'Lee' } });
    await h.chat.send(s, 'Which payment methods do you accept?');
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot'));
    await h.sandbox.openAppHome(SANDBOX_AGENT_DANA);
    const agentHome = await h.sandbox.waitFor(() => h!.sandbox.homeViewFor(SANDBOX_AGENT_DANA));
    expect(JSON.stringify(agentHome.view)).toContain('Lee');
    // Morgan is in the workspace but not in the handoff channel.
    await h.sandbox.openAppHome(SANDBOX_MEMBER_MORGAN);
    const home = await h.sandbox.waitFor(() => h!.sandbox.homeViewFor(SANDBOX_MEMBER_MORGAN));
    expect(JSON.stringify(home.view)).not.toContain('Lee');
    expect(JSON.stringify(home.view)).not.toContain('baton_takeover');
    expect(JSON.stringify(home.view)).toContain('Ask to join');
  });

  it('never lets the assistant answer after an agent took the conversation over mid-answer', async () => {
    stub = await startOpenAiStub();
    // The answer to the customer's question is slow; everything after it (the takeover's summary) is quick.
    stub.enqueue({
      hangMs: 1500,
      then: {
        json: { reply: 'Late bot answer', confidence: 0.9, articleIds: [], intents: [], sentiment: 0 },
      },
    });
    stub.setDefault({ json: { issue: 'The customer asks how long standard shipping takes.' } });
    h = await startHarness({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: stub.baseURL,
      OPENAI_TIMEOUT_MS: '3000',
    });
    const s = await h.chat.start({ customer: { name: 'Robin' } });
    await h.chat.send(s, 'How long does standard shipping take?');
    await waitUntil(() => stub!.requests.length > 0);
    await h.sandbox.openAppHome(SANDBOX_AGENT_DANA);
    const home = await h.sandbox.waitFor(() => {
      const view = h!.sandbox.homeViewFor(SANDBOX_AGENT_DANA);
      return view && JSON.stringify(view.view).includes(`baton_takeover:${s.id}`) && view;
    });
    await h.sandbox.clickViewButton(SANDBOX_AGENT_DANA, home.id, `baton_takeover:${s.id}`);
    await h.chat.waitFor(s, (r) => r.status === 'claimed', 10_000);
    // Let the assistant's turn (still waiting on the slow model) finish, then check it stayed quiet.
    await h.baton.settle();
    const messages = (await h.chat.messages(s)).json.messages as { author: string; text: string }[];
    expect(messages.filter((m) => m.author === 'bot')).toHaveLength(0);
  });
});

async function waitUntil(probe: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
