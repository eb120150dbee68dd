import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFER_PERSON } from '../../src/conversation/assistant-turn.js';
import { type Harness, startHarness, waitForCard } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { conversationsPerMinute: 100, messagesPerMinute: 100 });
});
afterAll(async () => {
  await h.stop();
});

describe('a sensitive topic: asking about the policy or asking for the action', () => {
  it.each([["what's your refund policy?"], ['how do I cancel an order?']])(
    '"%s" is answered, with a person one click away',
    async (question) => {
      const s = await h.chat.start();
      await h.chat.send(s, question);
      const reply = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'bot'));
      expect(reply.text).toContain(OFFER_PERSON);
      expect(reply.articles?.length).toBeGreaterThan(0);
      expect((await h.chat.waitFor(s, (r) => r)).status).toBe('bot');
    },
  );

  it('"I want my money back for order NW-123456" hands off, and the card says why and how sure', async () => {
    const s = await h.chat.start();
    await h.chat.send(s, 'I want my money back for order NW-123456');
    await h.chat.waitFor(s, (r) => r.status === 'waiting');
    const card = await waitForCard(h.sandbox, (text) => text.includes('Sensitive topic'));
    const blocks = JSON.stringify(card.blocks);
    expect(blocks).toMatch(
      /asked for a refund: \\"I want my money back for order NW-123456\\" \([01]\.\d\d\)/,
    );
  });
});
