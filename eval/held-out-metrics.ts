/**
 * The held-out figures CI gates on (issue: "the assistant understands real customers"), computed per
 * category of the blind sets in eval/heldout/. Pure; unit-tested in test/integration/eval-metrics.test.ts.
 */
import { type CaseResult, label, type Target } from './metrics.js';

/** Categories whose cases expect no handoff and name the articles that answer them. */
const ANSWERABLE = new Set(['answerable', 'policy_question']);

const rate = (num: number, den: number): number | null => (den === 0 ? null : num / den);

function handedOffShare(results: readonly CaseResult[], category: string): number | null {
  const cases = results.filter((r) => r.category === category);
  return rate(cases.filter((r) => r.got.handoff).length, cases.length);
}

export function heldOutTargets(results: readonly CaseResult[]): Target[] {
  const answerable = results.filter((r) => ANSWERABLE.has(r.category) && !r.expect.handoff);
  const answered = answerable.filter((r) => !r.got.handoff);
  const top3 = answered.filter((r) => r.articles.slice(0, 3).some((id) => r.expectedArticles?.includes(id)));
  const unanswerable = results.filter((r) => r.category === 'unanswerable');
  // Handing off, or honestly saying "I don't know" (no reply), both serve a question the KB cannot answer.
  const honest = unanswerable.filter((r) => r.got.handoff || !r.answered);
  return [
    { name: 'requests for a person handed off', actual: handedOffShare(results, 'requested'), min: 0.99 },
    {
      name: 'complaints, refunds, cancellations, disputes handed off',
      actual: handedOffShare(results, 'sensitive_request'),
      min: 0.95,
    },
    {
      name: 'answerable questions handed off',
      actual: rate(answerable.filter((r) => r.got.handoff).length, answerable.length),
      max: 0.05,
    },
    { name: 'right article in the top 3 (answered)', actual: rate(top3.length, answered.length), min: 0.9 },
    {
      name: 'unanswerable: handed off or "I don\'t know"',
      actual: rate(honest.length, unanswerable.length),
      min: 0.9,
    },
    { name: 'frustration handed off', actual: handedOffShare(results, 'frustration'), min: 0.95 },
  ];
}

export const VERDICTS = [
  'no handoff',
  'handoff:requested',
  'handoff:sensitive_topic',
  'handoff:negative_sentiment',
  'handoff:low_confidence',
  'handoff:repeated_question',
  'handoff:no_resolution',
] as const;

/** Expected verdict (rows) against the verdict the engine reached (columns), counts. */
export function confusionMatrix(results: readonly CaseResult[]): Record<string, Record<string, number>> {
  const matrix: Record<string, Record<string, number>> = {};
  for (const row of VERDICTS) matrix[row] = Object.fromEntries(VERDICTS.map((col) => [col, 0]));
  for (const r of results) {
    const row = matrix[label(r.expect)];
    const col = label(r.got);
    if (row && col in row) row[col]! += 1;
  }
  return matrix;
}

export function formatConfusion(matrix: Record<string, Record<string, number>>): string {
  const short = (v: string) => v.replace('handoff:', '').replace('no handoff', 'none').slice(0, 10);
  const lines = [`${'expected \\ got'.padEnd(18)}${VERDICTS.map((v) => short(v).padStart(11)).join('')}`];
  for (const row of VERDICTS)
    lines.push(
      `${short(row).padEnd(18)}${VERDICTS.map((col) => String(matrix[row]![col]).padStart(11)).join('')}`,
    );
  return lines.join('\n');
}

/** Share of cases per category that reached the expected verdict exactly, for the report. */
export function categoryAccuracy(
  results: readonly CaseResult[],
): { category: string; cases: number; accuracy: number }[] {
  const categories = [...new Set(results.map((r) => r.category))].sort();
  return categories.map((category) => {
    const cases = results.filter((r) => r.category === category);
    const exact = cases.filter((r) => label(r.expect) === label(r.got)).length;
    return { category, cases: cases.length, accuracy: exact / cases.length };
  });
}
