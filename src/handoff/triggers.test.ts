import { describe, expect, it } from 'vitest';
import type { MessageAnalysis } from '../conversation/assistant.js';
import { DEFAULT_TRIGGER_SETTINGS, decideHandoff, type TriggerSettings } from './triggers.js';

const confident: MessageAnalysis = {
  reply: 'Standard shipping takes 3-5 business days.',
  confidence: 0.9,
  articles: [],
  sentiment: 0,
  conversationSentiment: 0,
  intents: [],
};

const decide = (
  over: Partial<MessageAnalysis>,
  message = 'hello',
  turns = 1,
  settings: TriggerSettings = DEFAULT_TRIGGER_SETTINGS,
) => decideHandoff({ message, analysis: { ...confident, ...over }, customerTurns: turns }, settings);

describe('decideHandoff', () => {
  it('stays with the assistant when it is confident and nothing else fires', () => {
    expect(decide({})).toEqual({ handoff: false });
  });

  it('hands off on an explicit request even when everything else looks fine', () => {
    expect(decide({ intents: ['human', 'thanks'], sentiment: 0.8 })).toMatchObject({
      handoff: true,
      reason: 'requested',
    });
  });

  it('does not treat "I don\'t need a human" as a request or as low confidence', () => {
    expect(decide({ intents: ['not_human'], confidence: 0.1 })).toEqual({ handoff: false });
  });

  it('hands off on sensitive intents and on configured keywords', () => {
    expect(decide({ intents: ['billing_dispute'] })).toMatchObject({
      reason: 'sensitive_topic',
      detail: 'disputes a charge',
    });
    expect(decide({ intents: ['complaint'] })).toMatchObject({ reason: 'sensitive_topic' });
    const lawyer = { ...DEFAULT_TRIGGER_SETTINGS, sensitive: { enabled: true, keywords: ['lawyer'] } };
    expect(decide({}, 'I will talk to my LAWYER about this', 1, lawyer)).toMatchObject({
      reason: 'sensitive_topic',
      detail: 'mentions "lawyer"',
    });
    const custom = {
      ...DEFAULT_TRIGGER_SETTINGS,
      sensitive: { enabled: true, keywords: ['warranty claim'] },
    };
    expect(decide({}, 'I have a warranty claim', 1, custom)).toMatchObject({ reason: 'sensitive_topic' });
    expect(decide({}, 'the cancelled order', 1, custom)).toEqual({ handoff: false });
  });

  it('matches whole keywords only, so "sue" in "issue" or a name never fires', () => {
    const words = {
      ...DEFAULT_TRIGGER_SETTINGS,
      sensitive: { enabled: true, keywords: ['sue', 'refund', 'cancel'] },
    };
    expect(decide({}, 'My name is Sue', 1, words)).toMatchObject({ reason: 'sensitive_topic' });
    expect(decide({}, 'I have an issue with my pursuer', 1, words)).toEqual({ handoff: false });
    expect(decide({}, 'do you clean suede shoes?', 1, words)).toEqual({ handoff: false });
    expect(decide({}, 'I was never refunded', 1, words)).toMatchObject({
      reason: 'sensitive_topic',
      detail: 'mentions "refund"',
    });
    expect(decide({}, 'my order got cancelled', 1, words)).toMatchObject({ reason: 'sensitive_topic' });
  });

  it('by default no keyword hands off: a question about the refund policy is answered', () => {
    expect(DEFAULT_TRIGGER_SETTINGS.sensitive.keywords).toEqual([]);
    expect(decide({}, "what's your refund policy?")).toEqual({ handoff: false });
  });

  it('says which signal fired, on which words and how sure', () => {
    const signals = [
      { intent: 'human' as const, score: 0.97, source: 'model' as const, evidence: 'wanna contact somebody' },
    ];
    expect(decide({ intents: ['human'], signals })).toMatchObject({
      reason: 'requested',
      detail: 'asked for a person: "wanna contact somebody" (0.97)',
    });
  });

  it('hands off on frustration and on sentiment at or below the threshold', () => {
    expect(decide({ intents: ['frustrated'] })).toMatchObject({ reason: 'negative_sentiment' });
    expect(decide({ sentiment: -0.5 })).toMatchObject({ reason: 'negative_sentiment' });
    expect(decide({ sentiment: -0.49, conversationSentiment: -0.2 })).toEqual({ handoff: false });
    expect(decide({ conversationSentiment: -0.7 })).toMatchObject({ reason: 'negative_sentiment' });
  });

  it('hands off on a repeated question and after too many turns, but not on a thank-you', () => {
    expect(decide({ intents: ['repeat'] })).toMatchObject({ reason: 'repeated_question' });
    expect(decide({}, 'hm', 6)).toMatchObject({
      reason: 'no_resolution',
      detail: '6 messages without resolution',
    });
    expect(decide({ intents: ['thanks'] }, 'thanks!', 6)).toEqual({ handoff: false });
  });

  it('hands off when the assistant has no answer or is below the confidence threshold', () => {
    expect(decide({ reply: null, confidence: 0.6 })).toMatchObject({ reason: 'low_confidence' });
    expect(decide({ confidence: 0.29 })).toMatchObject({
      reason: 'low_confidence',
      detail: 'confidence 0.29',
    });
    expect(decide({ confidence: 0.3 })).toEqual({ handoff: false });
  });

  it('respects each trigger being switched off', () => {
    const off: TriggerSettings = {
      requested: { enabled: false },
      lowConfidence: { enabled: false, threshold: 0.35 },
      sentiment: { enabled: false, threshold: -0.5 },
      sensitive: { enabled: false, keywords: ['refund'] },
      noResolution: { enabled: false, maxTurns: 6 },
      repeated: { enabled: false },
    };
    expect(
      decide(
        { intents: ['human', 'frustrated', 'repeat', 'refund'], confidence: 0, reply: null, sentiment: -1 },
        'refund',
        20,
        off,
      ),
    ).toEqual({
      handoff: false,
    });
  });
});
