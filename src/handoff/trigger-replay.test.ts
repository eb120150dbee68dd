import { describe, expect, it } from 'vitest';
import {
  createReplayTally,
  firstHandoff,
  type StoredTriggerInput,
  tallyConversation,
} from './trigger-replay.js';
import { DEFAULT_TRIGGER_SETTINGS as DEFAULTS, type TriggerSettings } from './triggers.js';

let day = 0;
function input(
  conversationId: string,
  seq: number,
  over: Partial<StoredTriggerInput> = {},
): StoredTriggerInput {
  day += 1;
  return {
    conversationId,
    seq,
    text: 'How long does shipping take?',
    customerTurns: seq,
    answered: true,
    confidence: 0.8,
    sentiment: 0,
    conversationSentiment: 0,
    intents: [],
    decidedAt: `2026-11-${String((day % 28) + 1).padStart(2, '0')}T10:00:00.000Z`,
    ...over,
  };
}

const withConfidence = (threshold: number): TriggerSettings => ({
  ...DEFAULTS,
  lowConfidence: { enabled: true, threshold },
});

describe('firstHandoff', () => {
  it('is the first decision that hands off, through the same rules as a live message', () => {
    const conversation = [
      input('c1', 1, { confidence: 0.45 }),
      input('c1', 2, { confidence: 0.2 }),
      input('c1', 3, { intents: ['human'] }),
    ];
    expect(firstHandoff(conversation, DEFAULTS)).toMatchObject({ reason: 'low_confidence', seq: 2 });
    expect(firstHandoff(conversation, withConfidence(0.5))).toMatchObject({
      reason: 'low_confidence',
      seq: 1,
    });
    expect(
      firstHandoff(conversation, { ...DEFAULTS, lowConfidence: { enabled: false, threshold: 0.3 } }),
    ).toMatchObject({ reason: 'requested', seq: 3 });
    // No answer at all counts as not confident, whatever the score said.
    expect(firstHandoff([input('c2', 1, { answered: false, confidence: 0.9 })], DEFAULTS)).toMatchObject({
      reason: 'low_confidence',
      seq: 1,
    });
    // Keywords are read from the customer's own words.
    const warranty = [input('c3', 1, { text: 'Is my warranty still valid?' })];
    expect(firstHandoff(warranty, DEFAULTS)).toBeUndefined();
    expect(
      firstHandoff(warranty, { ...DEFAULTS, sensitive: { enabled: true, keywords: ['warranty'] } }),
    ).toEqual({ reason: 'sensitive_topic', seq: 1, text: 'Is my warranty still valid?' });
    expect(firstHandoff([input('c4', 7, { customerTurns: 7 })], DEFAULTS)).toMatchObject({
      reason: 'no_resolution',
      seq: 7,
    });
  });
});

describe('tallyConversation', () => {
  it('counts each conversation once, by reason, and which way it would switch', () => {
    const tally = createReplayTally();
    const settings = { now: DEFAULTS, proposed: withConfidence(0.5) };
    tallyConversation(tally, [input('stays', 1)], settings);
    tallyConversation(
      tally,
      [input('starts', 1, { confidence: 0.4 }), input('starts', 2, { confidence: 0.1 })],
      settings,
    );
    tallyConversation(tally, [input('both', 1, { intents: ['human'], confidence: 0.1 })], settings);
    tallyConversation(
      tally,
      [input('earlier', 1, { confidence: 0.45 }), input('earlier', 2, { intents: ['refund'] })],
      settings,
    );
    tallyConversation(tally, [], settings);
    expect(tally.conversations).toBe(4);
    expect(tally.decisions).toBe(6);
    expect(tally.now.handoffs).toBe(3);
    expect(tally.now.byReason).toMatchObject({ low_confidence: 1, requested: 1, sensitive_topic: 1 });
    expect(tally.proposed.handoffs).toBe(3);
    expect(tally.proposed.byReason).toMatchObject({ low_confidence: 2, requested: 1, sensitive_topic: 0 });
    // "starts" hands off either way (at its second message now, at its first with the change).
    expect(tally.started.count).toBe(0);
    expect(tally.stopped.count).toBe(0);
    expect(tally.moved).toBe(2);

    const off = { now: DEFAULTS, proposed: { ...DEFAULTS, requested: { enabled: false } } };
    const second = createReplayTally();
    tallyConversation(second, [input('asked', 1, { intents: ['human'] })], off);
    tallyConversation(second, [input('fine', 1)], { now: DEFAULTS, proposed: withConfidence(0.9) });
    expect(second.stopped).toEqual({
      count: 1,
      examples: [
        {
          conversationId: 'asked',
          reason: 'requested',
          text: 'How long does shipping take?',
          lastDecidedAt: expect.any(String),
        },
      ],
    });
    expect(second.started.count).toBe(1);
    expect(second.started.examples[0]).toMatchObject({ conversationId: 'fine', reason: 'low_confidence' });
  });

  it('keeps the newest examples only', () => {
    const tally = createReplayTally();
    const settings = { now: DEFAULTS, proposed: withConfidence(0.9) };
    for (let i = 1; i <= 9; i += 1)
      tallyConversation(
        tally,
        [input(`c${i}`, 1, { decidedAt: `2026-11-0${i}T00:00:00.000Z` })],
        settings,
        3,
      );
    expect(tally.started.count).toBe(9);
    expect(tally.started.examples.map((e) => e.conversationId)).toEqual(['c9', 'c8', 'c7']);
  });
});
