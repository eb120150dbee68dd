import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, type Session, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { conversationsPerMinute: 100, messagesPerMinute: 100 });
});
afterAll(async () => {
  await h.stop();
});

/** Sends each line, waiting for the assistant between lines; returns the card posted for this conversation, if any. */
async function converse(lines: string[]): Promise<{ s: Session; status: string }> {
  const s = await h.chat.start({ customer: { name: `Customer ${Math.random().toString(36).slice(2, 8)}` } });
  let status = 'bot';
  for (const [i, line] of lines.entries()) {
    await h.chat.send(s, line);
    const state = await h.chat.waitFor(s, (r) => {
      const answered =
        r.messages.filter((m) => m.author === 'customer').length === i + 1 &&
        r.messages.at(-1)?.author !== 'customer';
      return (answered || r.status !== 'bot') && r;
    });
    // A sensitive topic gets the policy answer first and the handoff right after, in its own commit:
    // the status is read once the turn has finished.
    await h.baton.settle();
    status = (await h.chat.messages(s)).json.conversation.status as string;
    if (state.status !== 'bot' || status !== 'bot') break;
  }
  return { s, status };
}

async function reasonOnCard(s: Session): Promise<string> {
  const row = await h.baton.deps.db
    .selectFrom('handoffs')
    .select(['reason'])
    .where('conversation_id', '=', s.id)
    .executeTakeFirstOrThrow();
  return row.reason;
}

describe('handoff triggers through the whole stack', () => {
  it.each([['can I talk to a real person'], ['agent please'], ['I want a human']])(
    'explicit request: "%s"',
    async (line) => {
      const { s, status } = await converse([line]);
      expect(status).toBe('waiting');
      expect(await reasonOnCard(s)).toBe('requested');
    },
  );

  it('low confidence on a question the knowledge base does not cover', async () => {
    const { s, status } = await converse(['Do you sell second-hand tractors for farms?']);
    expect(status).toBe('waiting');
    expect(await reasonOnCard(s)).toBe('low_confidence');
  });

  it('frustration', async () => {
    const { s, status } = await converse([
      'This is ridiculous, I have been trying for an hour and nothing works!!',
    ]);
    expect(status).toBe('waiting');
    expect(await reasonOnCard(s)).toBe('negative_sentiment');
  });

  it.each([
    ['I want a refund for my order'],
    ['I will file a chargeback with my bank'],
    ['my account was hacked'],
  ])('sensitive topic: "%s"', async (line) => {
    const { s, status } = await converse([line]);
    expect(status).toBe('waiting');
    expect(await reasonOnCard(s)).toBe('sensitive_topic');
  });

  it('the same question asked again', async () => {
    const { s, status } = await converse([
      'How do I change my shipping address?',
      'How do I change my shipping address?',
    ]);
    expect(status).toBe('waiting');
    expect(await reasonOnCard(s)).toBe('repeated_question');
  });

  it('no resolution after several turns', async () => {
    const { s, status } = await converse([
      'How long does shipping take?',
      'Which payment methods do you accept?',
      'How do I reset my password?',
      'Do you ship to Canada?',
      'How do promo codes work?',
      'What is Northwind Plus?',
    ]);
    expect(status).toBe('waiting');
    expect(await reasonOnCard(s)).toBe('no_resolution');
  });

  it('stays with the assistant for answerable questions and traps', async () => {
    for (const line of [
      'How long does standard shipping take?',
      "I don't need a human, just tell me the shipping cost",
    ]) {
      const { status } = await converse([line]);
      expect(status).toBe('bot');
    }
  });

  it("routes an explicit request by the conversation's topic, not by the words of the request", async () => {
    const { s, status } = await converse([
      'How long does standard shipping take?',
      'Can I talk to a person please?',
    ]);
    expect(status).toBe('waiting');
    const row = await h.baton.deps.db
      .selectFrom('handoffs')
      .select(['topic'])
      .where('conversation_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row.topic).toBe('shipping');
  });
});
