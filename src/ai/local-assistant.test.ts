import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Assistant, TranscriptLine } from '../conversation/assistant.js';
import { createKnowledgeBase } from './create-knowledge-base.js';
import { createLocalAssistant, REPLY_THRESHOLD } from './local-assistant.js';

const KB_DIR = fileURLToPath(new URL('../../kb', import.meta.url));
let assistant: Assistant;

beforeAll(async () => {
  assistant = createLocalAssistant({ kb: await createKnowledgeBase(KB_DIR) });
});

const ask = (message: string, history: TranscriptLine[] = []) => assistant.analyze({ history, message });

describe('local assistant (real kb/)', () => {
  it('answers a covered question from the best article and cites it', async () => {
    const result = await ask('How long do refunds take to show up on my card?');
    expect(result.confidence).toBeGreaterThan(0.6);
    expect(result.articles[0]).toEqual({
      id: 'refund-timing',
      title: 'When will I get my refund?',
      url: 'https://help.northwind.example/articles/refund-timing',
    });
    expect(result.articles.length).toBeLessThanOrEqual(3);
    expect(result.reply).toContain('5–10 business days');
    expect(result.reply).toMatch(/You can read more in When will I get my refund\?\.$/);
    expect(result.topic).toBe('returns');
  });

  it('gives concrete steps for a how-to question', async () => {
    const result = await ask('how do I reset my password?');
    expect(result.reply).toContain('Forgot password?');
    expect(result.reply).toContain('60 minutes');
  });

  it('returns reply null and low confidence for an uncovered question', async () => {
    const result = await ask("what's the weather like in Paris?");
    expect(result.reply).toBeNull();
    expect(result.confidence).toBeLessThan(REPLY_THRESHOLD);
    expect(result.articles).toEqual([]);
  });

  it('greets without articles', async () => {
    const result = await ask('Hello!');
    expect(result).toMatchObject({ confidence: 1, articles: [], intents: [] });
    expect(result.reply).toMatch(/^Hi!/);
  });

  it("says you're welcome to thanks, but answers a question that comes with thanks", async () => {
    const thanks = await ask('thanks, that solved it!');
    expect(thanks.reply).toMatch(/^You're welcome/);
    expect(thanks.intents).toContain('thanks');
    expect(thanks.sentiment).toBeGreaterThan(0);
    const withQuestion = await ask('thanks! and do gift cards expire?');
    expect(withQuestion.articles[0]?.id).toBe('gift-cards');
  });

  it('tells the customer it is a bot when asked', async () => {
    const result = await ask('is this a human?');
    expect(result.reply).toMatch(/automated assistant/);
    expect(result.intents).not.toContain('human');
  });

  it('reports intents and sentiment alongside the answer', async () => {
    const history: TranscriptLine[] = [
      { author: 'customer', text: 'I was charged twice for order #NW-100200' },
      {
        author: 'bot',
        text: 'A pending hold drops off in 3–5 days.\n\nYou can read more in I was charged twice.',
      },
    ];
    const result = await ask('THIS IS RIDICULOUS, I was charged twice and I want a person!!!', history);
    expect(result.intents).toEqual(expect.arrayContaining(['human', 'billing_dispute', 'frustrated']));
    expect(result.sentiment).toBeLessThan(-0.3);
    expect(result.conversationSentiment).toBeLessThan(0);
    expect(result.topic).toBe('billing');
  });

  it('never throws on weird input', async () => {
    const weird = [
      '',
      '   ',
      '🙂🙂🙂',
      '<script>alert("x")</script><b>refund</b>',
      'a'.repeat(10_000),
      'refund '.repeat(2_000),
      '\u0000\u0007',
      null as unknown as string,
    ];
    for (const message of weird) {
      const result = await ask(message);
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
      expect(Array.isArray(result.intents)).toBe(true);
    }
    const broken = await assistant.analyze({
      history: 'nope' as unknown as TranscriptLine[],
      message: 'refund',
    });
    expect(broken.articles.length).toBeGreaterThanOrEqual(0);
  });

  it('summarizes with a topic from the knowledge base', async () => {
    const summary = await assistant.summarize({
      history: [
        { author: 'customer', text: 'My package never arrived, order NW-555123' },
        { author: 'bot', text: 'Please wait 2 days.\n\nYou can read more in My order has not arrived.' },
        { author: 'customer', text: 'I want a refund then' },
      ],
    });
    expect(summary.facts.orderNumbers).toEqual(['#NW-555123']);
    expect(summary.tried).toEqual(['Answered from the article “My order has not arrived”']);
    expect(summary.nextStep).toMatch(/refund for order #NW-555123/);
    expect(summary.topic).toBe('orders');
  });
});

describe('local assistant: withdrawn requests', () => {
  it('answers the question that follows "never mind"', async () => {
    const result = await ask('can I talk to a person? no wait, never mind — how long is shipping');
    expect(result.intents).not.toContain('human');
    expect(result.reply).not.toBeNull();
    expect(result.articles.map((article) => article.id)).toContain('shipping-rates-and-delivery-times');
  });
});

describe('local assistant: answer extraction', () => {
  it('starts with the sentence that answers the question, not the article intro', async () => {
    const result = await ask('How long does standard shipping take?');
    expect(result.reply).toMatch(/^Standard: 3–5 business days/);
    expect(result.reply).not.toContain('Reno');
  });

  it('keeps the heading of a bullet list and gives a policy answer in at most three sentences', async () => {
    const candle = await ask('can I return a candle I already lit');
    expect(candle.reply).toMatch(/^What cannot be returned:\n• Opened food, candles/);
    const expiry = await ask('do gift cards expire');
    expect(expiry.reply).toMatch(/^Northwind gift cards never expire/);
  });
});
