import { createSentimentAnalyzer } from '../src/ai/sentiment.js';
import { detectIntents } from '../src/ai/intents.js';
import { buildHandoffCard } from '../src/slack/handoff-card.js';
import type { Conversation, Message } from '../src/conversation/conversation.js';
import { DEFAULT_TRIGGER_SETTINGS, decideHandoff } from '../src/handoff/triggers.js';
import { summarize, time } from './stats.js';

/** T5: rules + sentiment + intents + the Block Kit card for a 20-message transcript, against a bare JSON round trip. */
export function benchDecisionAndCard(iterations = 5000) {
  const sentiment = createSentimentAnalyzer();
  const now = new Date('2026-11-21T12:00:00Z');
  const transcript: Message[] = Array.from({ length: 20 }, (_, i) => ({
    id: `m${i}`,
    conversationId: 'c_1',
    seq: i + 1,
    author: i % 2 ? 'bot' : 'customer',
    text:
      i % 2
        ? 'Standard shipping takes 3-5 business days. You can read more in Shipping rates.'
        : 'Where is my order #NW-1234? <!channel> it is late',
    createdAt: now.toISOString(),
  }));
  const conversation: Conversation = {
    id: 'c_1',
    status: 'waiting',
    customer: { name: 'Jamie' },
    metadata: {},
    lastSeq: 20,
    createdAt: '',
    updatedAt: '',
    version: 0,
  };
  const history = transcript.map((m) => ({ author: m.author, text: m.text }));
  const message = 'This is ridiculous, I want to talk to a human about my refund!!';
  const payload = JSON.stringify({
    id: 'm_1',
    seq: 3,
    author: 'customer',
    text: 'x'.repeat(220),
    createdAt: now.toISOString(),
  });

  const work: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const [, ms] = time(() => {
      const intents = detectIntents({ message, history });
      const score = sentiment.score(message);
      const decision = decideHandoff(
        {
          message,
          customerTurns: 3,
          analysis: {
            reply: null,
            confidence: 0.2,
            articles: [],
            sentiment: score,
            conversationSentiment: score,
            intents,
          },
        },
        DEFAULT_TRIGGER_SETTINGS,
      );
      return buildHandoffCard({
        handoff: {
          id: 'h',
          conversationId: 'c_1',
          reason: decision.handoff ? decision.reason : 'requested',
          detail: '',
          channel: 'C1',
          cardState: 'posted',
          escalationLevel: 0,
          assignedTo: [],
          transferred: false,
          triggeredAt: now.toISOString(),
        },
        conversation,
        messages: transcript,
        now,
      });
    });
    work.push(ms);
    baseline.push(time(() => JSON.stringify(JSON.parse(payload)))[1]);
  }
  return {
    work: summarize(work.slice(iterations / 10)),
    baseline: summarize(baseline.slice(iterations / 10)),
  };
}
