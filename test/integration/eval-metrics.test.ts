import { describe, expect, it } from 'vitest';
import {
  type CaseResult,
  computeMetrics,
  formatReport,
  missedTargets,
  percentile,
} from '../../eval/metrics.js';
import { confusionMatrix, heldOutTargets } from '../../eval/held-out-metrics.js';

const base = { decidedAtTurn: 1, turns: 1, articles: [] as string[], messageMs: [1] };

function result(partial: Partial<CaseResult> & Pick<CaseResult, 'id' | 'expect' | 'got'>): CaseResult {
  return { category: 'x', ...base, ...partial };
}

describe('eval metrics', () => {
  const results: CaseResult[] = [
    // requested: 2 expected, 1 found, 1 missed (low_confidence instead)
    result({
      id: 'r1',
      expect: { handoff: true, reason: 'requested' },
      got: { handoff: true, reason: 'requested' },
    }),
    result({
      id: 'r2',
      expect: { handoff: true, reason: 'requested' },
      got: { handoff: true, reason: 'low_confidence' },
    }),
    // sensitive found
    result({
      id: 's1',
      expect: { handoff: true, reason: 'sensitive_topic' },
      got: { handoff: true, reason: 'sensitive_topic' },
    }),
    // answerable: one hit at 1, one hit at 3, one false handoff with no articles
    result({
      id: 'a1',
      category: 'answerable',
      expect: { handoff: false },
      got: { handoff: false },
      expectedArticles: ['x'],
      articles: ['x', 'y'],
      messageMs: [2],
    }),
    result({
      id: 'a2',
      category: 'answerable',
      expect: { handoff: false },
      got: { handoff: false },
      expectedArticles: ['z', 'w'],
      articles: ['x', 'y', 'w'],
      messageMs: [3],
    }),
    result({
      id: 'a3',
      category: 'answerable',
      expect: { handoff: false },
      got: { handoff: true, reason: 'requested' },
      expectedArticles: ['x'],
      articles: [],
      decidedAtTurn: 1,
      turns: 2,
      messageMs: [4, 100],
    }),
    // a trap without expected articles is not "answerable" but its false handoff still counts overall
    result({ id: 't1', expect: { handoff: false }, got: { handoff: true, reason: 'sensitive_topic' } }),
  ];
  const metrics = computeMetrics(results);
  const reason = (name: string) => metrics.reasons.find((r) => r.reason === name)!;

  it('computes per-reason precision and recall', () => {
    expect(reason('requested')).toMatchObject({
      support: 2,
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 1,
      precision: 0.5,
      recall: 0.5,
    });
    expect(reason('sensitive_topic')).toMatchObject({
      truePositives: 1,
      falsePositives: 1,
      precision: 0.5,
      recall: 1,
    });
    expect(reason('low_confidence')).toMatchObject({
      support: 0,
      falsePositives: 1,
      precision: 0,
      recall: null,
    });
    expect(reason('no_resolution')).toMatchObject({ precision: null, recall: null });
  });

  it('computes answerable false handoffs and top-k article hits', () => {
    expect(metrics.answerable).toEqual({
      cases: 3,
      falseHandoffs: 1,
      falseHandoffRate: 1 / 3,
      top1: 1 / 3,
      top3: 2 / 3,
    });
    expect(metrics.falseHandoffs).toEqual({ count: 2, of: 4, rate: 0.5 });
    expect(metrics.articleMisses).toEqual([{ id: 'a3', expected: ['x'], got: [] }]);
  });

  it('lists misclassified cases with the turn that decided them', () => {
    expect(metrics.accuracy).toBeCloseTo(4 / 7);
    expect(metrics.misclassified.map((m) => m.id)).toEqual(['r2', 'a3', 't1']);
    expect(metrics.misclassified[1]).toMatchObject({
      expected: 'no handoff',
      got: 'handoff:requested at turn 1/2',
    });
  });

  it('computes timing percentiles over every message', () => {
    expect(metrics.timing.messages).toBe(8);
    expect(metrics.timing.p50).toBe(1);
    expect(metrics.timing.max).toBe(100);
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile([], 99)).toBe(0);
  });

  it('flags missed targets, including targets the set does not cover', () => {
    const names = missedTargets(metrics).map((t) => t.name);
    expect(names).toContain('explicit-request (requested) recall');
    expect(names).toContain('frustration (negative_sentiment) recall'); // no data → missed
    expect(names).toContain('false handoffs on answerable questions');
    expect(names).not.toContain('sensitive-topic recall');
    expect(formatReport(metrics)).toMatch(/MISS explicit-request/);
  });

  it('passes when every target is met', () => {
    const perfect = computeMetrics([
      result({
        id: 'r',
        expect: { handoff: true, reason: 'requested' },
        got: { handoff: true, reason: 'requested' },
      }),
      result({
        id: 's',
        expect: { handoff: true, reason: 'sensitive_topic' },
        got: { handoff: true, reason: 'sensitive_topic' },
      }),
      result({
        id: 'n',
        expect: { handoff: true, reason: 'negative_sentiment' },
        got: { handoff: true, reason: 'negative_sentiment' },
      }),
      result({
        id: 'a',
        expect: { handoff: false },
        got: { handoff: false },
        expectedArticles: ['x'],
        articles: ['y', 'x'],
      }),
    ]);
    expect(missedTargets(perfect)).toEqual([]);
  });
});

describe('held-out figures', () => {
  const r = (
    category: string,
    expect: CaseResult['expect'],
    got: CaseResult['got'],
    extra: Partial<CaseResult> = {},
  ) => result({ id: `${category}-${Math.random()}`, category, expect, got, ...extra });
  const cases: CaseResult[] = [
    r('requested', { handoff: true, reason: 'requested' }, { handoff: true, reason: 'requested' }),
    r('requested', { handoff: true, reason: 'requested' }, { handoff: false }),
    r(
      'sensitive_request',
      { handoff: true, reason: 'sensitive_topic' },
      { handoff: true, reason: 'negative_sentiment' },
    ),
    r(
      'answerable',
      { handoff: false },
      { handoff: false },
      { expectedArticles: ['a'], articles: ['b', 'a'], answered: true },
    ),
    r(
      'policy_question',
      { handoff: false },
      { handoff: true, reason: 'low_confidence' },
      { expectedArticles: ['a'] },
    ),
    r('unanswerable', { handoff: true, reason: 'low_confidence' }, { handoff: false }, { answered: false }),
    r('unanswerable', { handoff: true, reason: 'low_confidence' }, { handoff: false }, { answered: true }),
    r(
      'frustration',
      { handoff: true, reason: 'negative_sentiment' },
      { handoff: true, reason: 'sensitive_topic' },
    ),
  ];
  const actual = (name: string) => heldOutTargets(cases).find((t) => t.name.startsWith(name))?.actual;

  it('count any handoff for people, sensitive requests and frustration, whatever the reason', () => {
    expect(actual('requests for a person')).toBe(0.5);
    expect(actual('complaints')).toBe(1);
    expect(actual('frustration')).toBe(1);
  });

  it('count answerable and policy questions together, and articles only on answered ones', () => {
    expect(actual('answerable questions handed off')).toBe(0.5);
    expect(actual('right article')).toBe(1);
  });

  it('accept an honest "I don\'t know" for an unanswerable question, not a made-up answer', () => {
    expect(actual('unanswerable')).toBe(0.5);
  });

  it('tabulate expected against reached verdicts', () => {
    const matrix = confusionMatrix(cases);
    expect(matrix['handoff:requested']!['no handoff']).toBe(1);
    expect(matrix['no handoff']!['handoff:low_confidence']).toBe(1);
  });
});
