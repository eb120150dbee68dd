import { extractFacts } from '../lib/facts.js';
import { contentTerms, termOverlap } from '../lib/text-terms.js';
import type { Db } from '../storage/database.js';
import { loadMetricsRecords } from './metrics-repository.js';
import { deskStats, type DeskStats, periodEnding, type TextAnalysis } from './metrics.js';

/** Facts that identify what a customer already told us, normalised so a re-typed one still matches. */
export const metricsText: TextAnalysis = {
  facts(text) {
    const facts = extractFacts([text]);
    return [
      ...facts.orderNumbers.map((o) => `order:${o.toUpperCase()}`),
      ...facts.emails.map((e) => `email:${e.toLowerCase()}`),
      ...facts.phoneNumbers.map((p) => `phone:${p.replace(/\D/g, '')}`),
    ];
  },
  terms: contentTerms,
  overlap: termOverlap,
};

/** Handoff metrics of the last `days` days, ending now. */
export async function computeDeskStats(deps: { db: Db; now: () => Date }, days: 7 | 30): Promise<DeskStats> {
  const period = periodEnding(deps.now(), days);
  return deskStats(await loadMetricsRecords(deps.db, period), period, metricsText);
}
