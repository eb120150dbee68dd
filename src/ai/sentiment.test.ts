import { describe, expect, it } from 'vitest';
import { conversationSentiment, createSentimentAnalyzer, weightedSentiment } from './sentiment.js';

const analyzer = createSentimentAnalyzer();

describe('sentiment', () => {
  it.each([
    'thanks, that solved it',
    'great, you were really helpful 🎉',
    'perfect :)',
    'I love it ❤️',
    'this is not bad',
  ])('is positive for %j', (text) => {
    expect(analyzer.score(text)).toBeGreaterThan(0);
  });

  it.each([
    'not happy',
    'I am not happy with this at all',
    'this is ridiculous',
    'useless bot',
    'terrible service :(',
    "I don't like this",
    '😡',
    'this is a joke',
    'so slow!!!',
  ])('is negative for %j', (text) => {
    expect(analyzer.score(text)).toBeLessThan(0);
  });

  it('is neutral for plain questions', () => {
    expect(analyzer.score('where is my order')).toBe(0);
    expect(analyzer.score('I want to cancel my order')).toBe(0);
    expect(analyzer.score('I need help with my password')).toBe(0);
  });

  it('reads shouting and "!!!" as more negative', () => {
    expect(analyzer.score('WHERE IS MY ORDER')).toBeLessThan(analyzer.score('where is my order'));
    expect(analyzer.score('this is terrible!!!')).toBeLessThan(analyzer.score('this is terrible'));
  });

  it('strengthens intensified words', () => {
    expect(analyzer.score('I am very happy')).toBeGreaterThan(analyzer.score('I am happy'));
  });

  it('stays within -1..1 and never throws on odd input', () => {
    const odd = [
      '',
      '   ',
      '<script>alert(1)</script>',
      '🙂'.repeat(5_000),
      'bad '.repeat(3_000),
      undefined as unknown as string,
    ];
    for (const text of odd) {
      const score = analyzer.score(text);
      expect(score).toBeGreaterThanOrEqual(-1);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it('does not change the shared library lexicon between analyzers', () => {
    const other = createSentimentAnalyzer();
    expect(other.score('I want to cancel')).toBe(analyzer.score('I want to cancel'));
  });
});

describe('conversation sentiment', () => {
  it('weights the latest message most', () => {
    expect(weightedSentiment([0.8, -0.8])).toBeLessThan(0);
    expect(weightedSentiment([-0.8, 0.8])).toBeGreaterThan(0);
    expect(weightedSentiment([])).toBe(0);
  });

  it('scores a souring conversation as negative', () => {
    const messages = ['hi', 'where is my order?', 'this is ridiculous, still nothing', 'USELESS!!!'];
    expect(conversationSentiment(messages, analyzer)).toBeLessThan(-0.3);
  });

  it('scores a resolved conversation as positive', () => {
    expect(
      conversationSentiment(['my code is not working', 'thanks, that solved it!'], analyzer),
    ).toBeGreaterThan(0);
  });
});

describe('factual problem words (evaluation set)', () => {
  const analyzer = createSentimentAnalyzer();
  it('does not read a factual report or a polite "no thanks" as frustration', () => {
    expect(analyzer.score('I got a new phone and lost my authenticator app')).toBeGreaterThan(-0.5);
    expect(analyzer.score('I made a human error and typed the wrong address')).toBeGreaterThan(-0.5);
    expect(analyzer.score("no thanks, that's all")).toBeGreaterThanOrEqual(0);
    expect(analyzer.score('this is useless and I am furious')).toBeLessThan(-0.5);
  });
});
