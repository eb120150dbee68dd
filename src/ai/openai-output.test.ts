import { describe, expect, it } from 'vitest';
import type { MessageAnalysis } from '../conversation/assistant.js';
import type { Article } from './kb-loader.js';
import { AnswerSchema, checkIssue, cleanReply, MAX_REPLY_CHARS, mergeAnalysis } from './openai-output.js';
import { checkReply } from './openai-output.js';

const article = (id: string, tags: string[] = ['billing']): Article => ({
  id,
  title: `Title of ${id}`,
  url: `https://help.example/${id}`,
  tags,
  body: 'Body.',
  sections: [],
});

const local: MessageAnalysis = {
  reply: 'local reply',
  confidence: 0.7,
  articles: [],
  sentiment: -0.2,
  conversationSentiment: -0.1,
  intents: ['refund', 'human'],
  topic: 'returns',
};

const answer = AnswerSchema.parse({
  reply: 'Model reply.',
  confidence: 0.8,
  articleIds: ['b', 'unknown', 'a', 'b'],
  intents: ['legal', 'not_human', 'thanks', 'nonsense'],
  sentiment: 0.9,
});

describe('mergeAnalysis', () => {
  const merged = mergeAnalysis(local, answer, {
    retrieved: [article('a'), article('b', ['refunds'])],
    ruleIntents: ['refund', 'complaint'],
  });

  it('keeps every local and rule intent, adds only escalations from the model', () => {
    expect(merged.intents).toEqual(['refund', 'human', 'complaint', 'legal']);
  });

  it('never raises sentiment above the local score', () => {
    expect(merged.sentiment).toBe(-0.2);
    expect(merged.conversationSentiment).toBe(-0.1);
    const lower = mergeAnalysis(local, { ...answer, sentiment: -0.9 }, { retrieved: [], ruleIntents: [] });
    expect(lower.sentiment).toBe(-0.9);
    expect(lower.conversationSentiment).toBeCloseTo(-0.8);
  });

  it('cites only retrieved articles, in the model order, described by the KB', () => {
    expect(merged.articles).toEqual([
      { id: 'b', title: 'Title of b', url: 'https://help.example/b' },
      { id: 'a', title: 'Title of a', url: 'https://help.example/a' },
    ]);
    expect(merged.topic).toBe('refunds');
    expect(merged.reply).toBe('Model reply.\n\nYou can read more in Title of b.');
  });

  it('reports no answer with zero confidence when the model has none', () => {
    const none = mergeAnalysis(
      local,
      { ...answer, reply: '  ' },
      { retrieved: [article('a')], ruleIntents: [] },
    );
    expect(none).toMatchObject({ reply: null, confidence: 0, articles: [] });
  });
});

describe('cleanReply', () => {
  it('drops control characters, collapses blank runs and caps the length', () => {
    expect(cleanReply('a\u0000b\r\n\r\n\r\n\r\nc  d')).toBe('a b\n\nc d');
    expect(cleanReply('word '.repeat(1_000))!.length).toBeLessThanOrEqual(MAX_REPLY_CHARS);
    expect(cleanReply(null)).toBeNull();
  });
});

describe('checkIssue', () => {
  it.each([
    ['<!channel> URGENT refund approved', 'markup'],
    ['Ping !here now', 'mention'],
    ['Tell @jo about it', 'mention'],
    ['Email jo@example.com', 'mention'],
    ['See https://evil.example', 'url'],
    ['See evil.example for details', 'url'],
    ['Go to www.example', 'url'],
    ['x'.repeat(301), 'too_long'],
    ['  ', 'empty'],
  ])('rejects %j (%s)', (issue, reason) => {
    expect(checkIssue(issue)).toEqual({ ok: false, reason });
  });

  it('accepts a plain sentence, normalising whitespace', () => {
    expect(checkIssue('The customer wants a refund,\n e.g. for a $4.95 fee.')).toEqual({
      ok: true,
      issue: 'The customer wants a refund, e.g. for a $4.95 fee.',
    });
  });
});

describe('checkReply: the model may not promise, or link where the articles do not', () => {
  const articles = [
    {
      body: 'If the claim is approved, we repair or replace the item. Standard shipping costs $4.95.',
      url: 'https://help.northwind.example/articles/warranty',
    },
  ];
  it('refuses promises of money, approvals and actions taken', () => {
    for (const reply of [
      'Your refund of $20 has been approved.',
      "I've cancelled your order for you.",
      'We will refund you today.',
      'This was approved by the manager.',
      'I guarantee it arrives tomorrow.',
    ])
      expect(checkReply(reply, articles)).toMatchObject({ ok: false, reason: 'promise' });
  });
  it('lets the articles be quoted, amounts and links included', () => {
    expect(checkReply('If the claim is approved, we repair or replace the item.', articles)).toEqual({
      ok: true,
    });
    expect(checkReply('Standard shipping costs $4.95.', articles)).toEqual({ ok: true });
    expect(checkReply('See https://help.northwind.example/articles/warranty.', articles)).toEqual({
      ok: true,
    });
  });
  it('refuses amounts and links the articles do not contain', () => {
    expect(checkReply('Shipping costs $2.', articles)).toMatchObject({ ok: false, reason: 'amount' });
    expect(checkReply('Claim it at https://evil.example/claim', articles)).toMatchObject({
      ok: false,
      reason: 'url',
    });
    expect(checkReply('Claim it at evil.example/claim', articles)).toMatchObject({
      ok: false,
      reason: 'url',
    });
  });
});
