import { describe, expect, it } from 'vitest';
import {
  deskStats,
  type HandoffRecord,
  type MessageRecord,
  type MetricsRecords,
  percentile,
  periodEnding,
  type TextAnalysis,
} from './metrics.js';

// Simple stand-ins for the AI adapter's text functions: facts are "#digits" and emails, terms are words of 4+ letters.
const text: TextAnalysis = {
  facts: (t) => t.match(/#\d+|\S+@\S+/g) ?? [],
  terms: (t) => t.toLowerCase().match(/[a-z]{4,}/g) ?? [],
  overlap(a, b) {
    const setA = new Set(a);
    const setB = new Set(b);
    if (!setA.size || !setB.size) return 0;
    return (2 * [...setA].filter((x) => setB.has(x)).length) / (setA.size + setB.size);
  },
};

const now = new Date('2026-12-01T00:00:00.000Z');
const period = periodEnding(now, 7);
const at = (day: number, time = '10:00:00') => `2026-11-${String(day).padStart(2, '0')}T${time}.000Z`;

const handoff = (over: Partial<HandoffRecord> & { id: string }): HandoffRecord => ({
  conversationId: `c-${over.id}`,
  reason: 'requested',
  triggeredAt: at(28),
  transferred: false,
  ...over,
});

let seq = 0;
const msg = (conversationId: string, author: string, body: string, createdAt: string, confidence?: number) =>
  ({ conversationId, seq: ++seq, author, text: body, createdAt, confidence }) satisfies MessageRecord;

const empty: MetricsRecords = { conversations: [], handoffs: [], messages: [] };

describe('percentile', () => {
  it('interpolates between closest ranks and handles edge cases', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([40, 10, 30, 20], 0.5)).toBe(25);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(percentile([1, 2, 3], 1)).toBe(3);
  });
});

describe('periodEnding', () => {
  it('spans the given number of days up to now', () => {
    expect(periodEnding(now, 30)).toEqual({
      days: 30,
      start: '2026-11-01T00:00:00.000Z',
      end: '2026-12-01T00:00:00.000Z',
    });
  });
});

describe('deskStats', () => {
  it('returns nulls rather than NaN when there is no data', () => {
    const stats = deskStats(empty, period, text);
    expect(stats).toMatchObject({
      window: '7d',
      conversations: 0,
      handoffRate: null,
      handoffs: 0,
      reasons: [],
      wait: { answered: 0, unanswered: 0, medianSeconds: null, p90Seconds: null },
      resolution: { resolvedWithoutTransfer: 0, rate: null },
      csat: { average: null, count: 0 },
      repeatInformation: { conversations: 0, repeated: 0, rate: null },
      knowledgeGaps: [],
    });
  });

  it('computes rates, reasons, wait, resolution and CSAT for the period only', () => {
    const records: MetricsRecords = {
      conversations: [
        { id: 'c-a', createdAt: at(27) },
        { id: 'c-b', createdAt: at(27) },
        { id: 'c-c', createdAt: at(29) },
        { id: 'c-d', createdAt: at(30) },
        { id: 'c-old', createdAt: at(2) },
      ],
      handoffs: [
        handoff({ id: 'a', firstReplyAt: at(28, '10:01:00'), resolvedAt: at(28, '11:00:00'), csatScore: 5 }),
        handoff({ id: 'b', reason: 'low_confidence', firstReplyAt: at(28, '10:03:00'), transferred: true }),
        handoff({ id: 'c', reason: 'low_confidence', csatScore: 2, resolvedAt: '2026-12-02T00:00:00.000Z' }),
        handoff({ id: 'old', triggeredAt: at(2), firstReplyAt: at(2, '10:00:01'), csatScore: 1 }),
      ],
      messages: [],
    };
    const stats = deskStats(records, period, text);
    expect(stats.conversations).toBe(4);
    expect(stats.handedOffConversations).toBe(3);
    expect(stats.handoffRate).toBe(0.75);
    expect(stats.handoffs).toBe(3);
    expect(stats.reasons).toEqual([
      { reason: 'low_confidence', count: 2, share: 2 / 3 },
      { reason: 'requested', count: 1, share: 1 / 3 },
    ]);
    expect(stats.wait).toEqual({ answered: 2, unanswered: 1, medianSeconds: 120, p90Seconds: 168 });
    // b was transferred and c's resolution lies after the period's end.
    expect(stats.resolution).toEqual({ resolvedWithoutTransfer: 1, rate: 1 / 3 });
    expect(stats.csat).toEqual({ average: 3.5, count: 2 });
  });

  it('detects repeats by facts and by content overlap, per conversation', () => {
    const t = at(28);
    const messages = [
      msg('c-fact', 'customer', 'Where is order #12345?', at(28, '09:59:00')),
      msg('c-fact', 'customer', 'Hi, it is #12345', at(28, '10:05:00')),
      msg('c-words', 'customer', 'My parcel arrived damaged and broken', at(28, '09:00:00')),
      msg('c-words', 'customer', 'The parcel arrived damaged, broken!', at(28, '10:02:00')),
      msg('c-new', 'customer', 'Where is order #12345?', at(28, '09:00:00')),
      msg('c-new', 'customer', 'yes', at(28, '10:01:00')),
      msg('c-new', 'customer', 'Also update email to x@y.co', at(28, '10:02:00')),
      msg('c-silent', 'customer', 'Where is order #12345?', at(28, '09:00:00')),
      msg('c-silent', 'bot', 'Where is order #12345?', at(28, '10:03:00')),
    ];
    const handoffs = ['fact', 'words', 'new', 'silent'].map((id) => handoff({ id, triggeredAt: t }));
    const stats = deskStats({ conversations: [], handoffs, messages }, period, text);
    expect(stats.repeatInformation).toEqual({ conversations: 3, repeated: 2, rate: 2 / 3 });
  });

  it('ranks knowledge gaps by topic with up to three distinct example questions', () => {
    const long = `How do I ${'really '.repeat(30)}export my data?`;
    const handoffs = [
      handoff({ id: 'g1', reason: 'low_confidence', topic: 'billing', triggeredAt: at(26) }),
      handoff({ id: 'g2', reason: 'low_confidence', topic: 'billing', triggeredAt: at(27) }),
      handoff({ id: 'g3', reason: 'requested', topic: 'billing', triggeredAt: at(28) }),
      handoff({ id: 'g4', reason: 'negative_sentiment', triggeredAt: at(29) }),
      handoff({ id: 'g5', reason: 'requested', topic: 'shipping', triggeredAt: at(29) }),
    ];
    const messages = [
      msg('c-g1', 'customer', 'Why was I charged twice?', at(26, '09:00:00')),
      msg('c-g2', 'customer', 'Why   was I charged twice?', at(27, '09:00:00')),
      msg('c-g3', 'customer', 'What is on my invoice?', at(28, '09:00:00')),
      msg('c-g3', 'bot', 'Not sure.', at(28, '09:00:01'), 0.2),
      msg('c-g4', 'customer', long, at(29, '09:00:00')),
      msg('c-g4', 'bot', 'Maybe this?', at(29, '09:00:01'), 0.1),
      msg('c-g4', 'customer', 'after the handoff', at(29, '11:00:00')),
      msg('c-g5', 'customer', 'Where is my parcel?', at(29, '09:00:00')),
      msg('c-g5', 'bot', 'Here is the tracking page.', at(29, '09:00:01'), 0.9),
    ];
    const stats = deskStats({ conversations: [], handoffs, messages }, period, text);
    expect(stats.knowledgeGaps).toEqual([
      {
        topic: 'billing',
        handoffs: 3,
        examples: ['What is on my invoice?', 'Why was I charged twice?'],
      },
      { topic: 'unknown', handoffs: 1, examples: [expect.stringMatching(/^How do I really .*…$/)] },
    ]);
    expect(stats.knowledgeGaps[1]!.examples[0]!.length).toBe(140);
  });
});
