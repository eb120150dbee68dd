import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../conversation/assistant.js';
import type { Conversation, Message } from '../conversation/conversation.js';
import { maskCardData, maskedText, maskStatsExamples } from './mask-for-slack.js';
import { DEFAULT_MASKED } from './sensitive-data.js';
import { extractFacts } from '../lib/facts.js';

const conversation: Conversation = {
  id: 'c_1',
  status: 'waiting',
  customer: { name: 'Jamie', email: 'jamie@example.com' },
  metadata: {},
  lastSeq: 2,
  version: 1,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  csat: { score: 1, comment: 'delete my card 4242 4242 4242 4242 now' },
} as Conversation;
const line = (author: Message['author'], text: string, seq: number): Message =>
  ({
    id: `m_${seq}`,
    conversationId: 'c_1',
    seq,
    author,
    text,
    createdAt: '2026-12-01T10:00:00.000Z',
  }) as Message;
const summary: ConversationSummary = {
  issue: 'Customer asked: "my SSN is 123-45-6789"',
  facts: {
    orderNumbers: ['A-1001'],
    emails: ['jamie@example.com'],
    phoneNumbers: ['123-45-6789'],
    amounts: [],
  },
  tried: [],
};

describe('maskCardData', () => {
  const data = maskCardData(
    conversation,
    [
      line('customer', 'my SSN is 123-45-6789 and order A-1001, mail jamie@example.com', 1),
      line('bot', 'I see 123-45-6789', 2),
    ],
    { summary, detail: 'disputes a charge: "my card 4242 4242 42…"' },
    DEFAULT_MASKED,
  );

  it("masks the customer's lines, the summary, the reason line and the rating comment", () => {
    expect(data.messages[0]!.text).toBe(
      'my SSN is [national ID hidden] and order A-1001, mail jamie@example.com',
    );
    expect(data.summary!.issue).toContain('[national ID hidden]');
    expect(data.detail).toBe('disputes a charge: "my card …"');
    expect(data.conversation.csat!.comment).toBe('delete my card [card ending 4242] now');
    expect(data.masked).toBe(true);
  });

  it('drops a fact that is (or contains) masked data, keeps the rest, and leaves non-customer lines', () => {
    expect(data.summary!.facts.phoneNumbers).toEqual([]);
    expect(data.summary!.facts.orderNumbers).toEqual(['A-1001']);
    expect(data.summary!.facts.emails).toEqual(['jamie@example.com']);
    expect(data.messages[1]!.text).toBe('I see 123-45-6789');
  });

  it('changes nothing, and offers no Reveal, when nothing is masked', () => {
    const plain = maskCardData(
      conversation,
      [line('customer', 'where is order A-1001?', 1)],
      { detail: 'asked' },
      [],
    );
    expect(plain.masked).toBe(false);
    expect(plain.messages[0]!.text).toBe('where is order A-1001?');
    expect(plain.conversation.csat!.comment).toContain('4242 4242');
  });

  it('keeps facts the summary wrote in a normal form, and offers no Reveal for them', () => {
    const said = 'where is order 12345? I paid $ 40 and my mail is Jamie@Example.com';
    const facts = extractFacts([said]);
    expect(facts.orderNumbers).toEqual(['#12345']);
    const card = maskCardData(
      { ...conversation, csat: undefined },
      [line('customer', said, 1)],
      { summary: { ...summary, issue: 'Where is my order?', facts }, detail: 'asked' },
      DEFAULT_MASKED,
    );
    expect(card.summary!.facts).toEqual(facts);
    expect(card.masked).toBe(false);
  });

  it('offers Reveal only for what the card shows: a masked line after the handoff is not on it', () => {
    const later = { ...line('customer', 'my password is hunter2', 2), createdAt: '2026-12-01T10:05:00.000Z' };
    const card = maskCardData(
      { ...conversation, csat: undefined },
      [line('customer', 'where is order 12345?', 1), later],
      { detail: 'asked', triggeredAt: '2026-12-01T10:01:00.000Z' },
      DEFAULT_MASKED,
    );
    expect(card.messages[1]!.text).toBe('my password is [password hidden]');
    expect(card.masked).toBe(false);
  });
});

describe('maskedText and stats examples', () => {
  it('hides the digits left before an earlier cut, which no pattern can recognise any more', () => {
    expect(maskedText('my card 4242 4242 4242 42…', DEFAULT_MASKED)).toBe('my card …');
    expect(maskedText('order 12…', DEFAULT_MASKED)).toBe('order 12…');
  });

  it('masks the example questions of knowledge gaps', () => {
    const stats = maskStatsExamples(
      { knowledgeGaps: [{ topic: 'billing', handoffs: 1, examples: ['my password is hunter2'] }] },
      DEFAULT_MASKED,
    );
    expect(stats.knowledgeGaps[0]!.examples).toEqual(['my password is [password hidden]']);
  });
});
