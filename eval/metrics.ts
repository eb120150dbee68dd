/**
 * Pure metrics over replayed evaluation cases (see run-eval.ts). No I/O here, so it is unit-tested
 * in test/integration/eval-metrics.test.ts.
 */

export const REASONS = [
  'requested',
  'sensitive_topic',
  'negative_sentiment',
  'low_confidence',
  'repeated_question',
  'no_resolution',
] as const;
export type EvalReason = (typeof REASONS)[number];

export type Expectation = { handoff: false } | { handoff: true; reason: EvalReason };

/** What happened to one case: the verdict (first handoff, or the last turn's "no handoff"). */
export type Verdict = { handoff: false } | { handoff: true; reason: string; detail?: string };

export interface CaseResult {
  id: string;
  category: string;
  expect: Expectation;
  got: Verdict;
  /** 1-based turn that produced the verdict; less than `turns` when an earlier turn already handed off. */
  decidedAtTurn: number;
  turns: number;
  /** Acceptable top articles (answerable cases only). */
  expectedArticles?: string[];
  /** Article ids the assistant cited for the deciding turn, best first. */
  articles: string[];
  /** The deciding turn had a reply (false: the assistant had nothing to say). */
  answered?: boolean;
  /** The assistant's confidence in that reply (0 when none). */
  confidence?: number;
  /** Milliseconds the assistant took per analysed message. */
  messageMs: number[];
  /** Why the case is labelled the way it is, when that is not obvious. */
  note?: string;
}

export interface ReasonMetrics {
  reason: EvalReason;
  /** Cases expecting this reason. */
  support: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** null when the engine never chose this reason (nothing to be precise about). */
  precision: number | null;
  /** null when no case expects this reason. */
  recall: number | null;
}

export interface Metrics {
  cases: number;
  /** Share of cases whose verdict matches the expectation exactly (handoff and reason). */
  accuracy: number;
  reasons: ReasonMetrics[];
  /** Cases that expect no handoff but got one (all categories). */
  falseHandoffs: { count: number; of: number; rate: number };
  answerable: {
    cases: number;
    /** Answerable cases (expected articles, no handoff expected) that handed off anyway. */
    falseHandoffs: number;
    falseHandoffRate: number;
    top1: number;
    top3: number;
  };
  timing: { messages: number; p50: number; p99: number; max: number };
  misclassified: { id: string; category: string; expected: string; got: string; note?: string }[];
  /** Answerable cases whose expected article was not among the top 3. */
  articleMisses: { id: string; expected: string[]; got: string[] }[];
}

export function label(verdict: Verdict | Expectation): string {
  return verdict.handoff ? `handoff:${verdict.reason}` : 'no handoff';
}

function sameVerdict(expect: Expectation, got: Verdict): boolean {
  if (!expect.handoff) return !got.handoff;
  return got.handoff && got.reason === expect.reason;
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function isAnswerable(result: Pick<CaseResult, 'expect' | 'expectedArticles'>): boolean {
  return !result.expect.handoff && (result.expectedArticles?.length ?? 0) > 0;
}

export function computeMetrics(results: readonly CaseResult[]): Metrics {
  const reasons: ReasonMetrics[] = REASONS.map((reason) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of results) {
      const expected = r.expect.handoff && r.expect.reason === reason;
      const got = r.got.handoff && r.got.reason === reason;
      if (expected && got) tp += 1;
      else if (got) fp += 1;
      else if (expected) fn += 1;
    }
    return {
      reason,
      support: tp + fn,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
    };
  });

  const noHandoffExpected = results.filter((r) => !r.expect.handoff);
  const falseHandoffCount = noHandoffExpected.filter((r) => r.got.handoff).length;

  const answerable = results.filter(isAnswerable);
  const answerableFalse = answerable.filter((r) => r.got.handoff).length;
  const hitAt = (r: CaseResult, k: number) =>
    r.articles.slice(0, k).some((id) => r.expectedArticles!.includes(id));
  const top1 = answerable.filter((r) => hitAt(r, 1)).length;
  const top3 = answerable.filter((r) => hitAt(r, 3)).length;

  const samples = results.flatMap((r) => r.messageMs);

  return {
    cases: results.length,
    accuracy: ratio(results.filter((r) => sameVerdict(r.expect, r.got)).length, results.length) ?? 0,
    reasons,
    falseHandoffs: {
      count: falseHandoffCount,
      of: noHandoffExpected.length,
      rate: ratio(falseHandoffCount, noHandoffExpected.length) ?? 0,
    },
    answerable: {
      cases: answerable.length,
      falseHandoffs: answerableFalse,
      falseHandoffRate: ratio(answerableFalse, answerable.length) ?? 0,
      top1: ratio(top1, answerable.length) ?? 0,
      top3: ratio(top3, answerable.length) ?? 0,
    },
    timing: {
      messages: samples.length,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      max: samples.length ? Math.max(...samples) : 0,
    },
    misclassified: results
      .filter((r) => !sameVerdict(r.expect, r.got))
      .map((r) => ({
        id: r.id,
        category: r.category,
        expected: label(r.expect),
        got:
          label(r.got) +
          (r.got.handoff && r.got.detail ? ` (${r.got.detail})` : '') +
          (r.decidedAtTurn < r.turns ? ` at turn ${r.decidedAtTurn}/${r.turns}` : ''),
        ...(r.note ? { note: r.note } : {}),
      })),
    articleMisses: answerable
      .filter((r) => !hitAt(r, 3))
      .map((r) => ({ id: r.id, expected: r.expectedArticles!, got: r.articles })),
  };
}

export interface Target {
  name: string;
  actual: number | null;
  /** Pass when actual ≥ min (or ≤ max). */
  min?: number;
  max?: number;
}

export function targetsOf(metrics: Metrics): Target[] {
  const recall = (reason: EvalReason) => metrics.reasons.find((r) => r.reason === reason)?.recall ?? null;
  return [
    { name: 'explicit-request (requested) recall', actual: recall('requested'), min: 1 },
    { name: 'sensitive-topic recall', actual: recall('sensitive_topic'), min: 0.98 },
    { name: 'frustration (negative_sentiment) recall', actual: recall('negative_sentiment'), min: 0.9 },
    {
      name: 'false handoffs on answerable questions',
      actual: metrics.answerable.cases ? metrics.answerable.falseHandoffRate : null,
      max: 0.05,
    },
    {
      name: 'top-3 article hit (answerable)',
      actual: metrics.answerable.cases ? metrics.answerable.top3 : null,
      min: 0.9,
    },
  ];
}

/** Targets that are missed (a target with no data counts as missed: the set must cover it). */
export function missedTargets(metrics: Metrics): Target[] {
  return missedOf(targetsOf(metrics));
}

/** The targets of a list that are missed (no data counts as missed). */
export function missedOf(targets: readonly Target[]): Target[] {
  return targets.filter(
    (t) =>
      t.actual === null ||
      (t.min !== undefined && t.actual < t.min) ||
      (t.max !== undefined && t.actual > t.max),
  );
}

const pct = (value: number | null) =>
  value === null ? '   —  ' : `${(value * 100).toFixed(1).padStart(5)}%`;

/** A plain-text report: per-reason table, answerable metrics, timing, targets and the misses. */
export function formatReport(metrics: Metrics): string {
  const lines: string[] = [];
  lines.push(`Baton assistant evaluation — ${metrics.cases} cases, accuracy ${pct(metrics.accuracy).trim()}`);
  lines.push('');
  lines.push('reason               support   TP   FP   FN  precision   recall');
  for (const r of metrics.reasons) {
    lines.push(
      `${r.reason.padEnd(20)} ${String(r.support).padStart(7)} ${String(r.truePositives).padStart(4)} ${String(
        r.falsePositives,
      ).padStart(4)} ${String(r.falseNegatives).padStart(4)}     ${pct(r.precision)}   ${pct(r.recall)}`,
    );
  }
  lines.push('');
  const a = metrics.answerable;
  lines.push(
    `answerable questions: ${a.cases}  false handoffs ${a.falseHandoffs} (${pct(a.falseHandoffRate).trim()})  top-1 ${pct(a.top1).trim()}  top-3 ${pct(a.top3).trim()}`,
  );
  lines.push(
    `all no-handoff cases: ${metrics.falseHandoffs.of}  false handoffs ${metrics.falseHandoffs.count} (${pct(metrics.falseHandoffs.rate).trim()})`,
  );
  const t = metrics.timing;
  lines.push(
    `time per message: p50 ${t.p50.toFixed(2)} ms  p99 ${t.p99.toFixed(2)} ms  max ${t.max.toFixed(2)} ms  (${t.messages} messages)`,
  );
  lines.push('');
  lines.push('targets:');
  const missed = new Set(missedTargets(metrics).map((m) => m.name));
  for (const target of targetsOf(metrics)) {
    const goal =
      target.min !== undefined ? `≥ ${pct(target.min).trim()}` : `≤ ${pct(target.max ?? 0).trim()}`;
    lines.push(
      `  ${missed.has(target.name) ? 'MISS' : 'ok  '} ${target.name.padEnd(42)} ${pct(target.actual)}  (${goal})`,
    );
  }
  if (metrics.misclassified.length > 0) {
    lines.push('');
    lines.push(`misclassified (${metrics.misclassified.length}):`);
    for (const m of metrics.misclassified)
      lines.push(
        `  ${m.id.padEnd(28)} expected ${m.expected.padEnd(28)} got ${m.got}${m.note ? `\n      note: ${m.note}` : ''}`,
      );
  }
  if (metrics.articleMisses.length > 0) {
    lines.push('');
    lines.push(
      `answerable cases without an expected article in the top 3 (${metrics.articleMisses.length}):`,
    );
    for (const m of metrics.articleMisses)
      lines.push(
        `  ${m.id.padEnd(28)} expected ${m.expected.join('|')}  got ${m.got.join(', ') || '(none)'}`,
      );
  }
  return lines.join('\n');
}
