import { existsSync, readFileSync } from 'node:fs';
import type { SearchResult } from 'minisearch';
import { z } from 'zod';
import type { AnalyzedQuery } from './query.js';

/**
 * How a search hit is scored beyond BM25: how much of the question it covers, a calibrated confidence,
 * and the re-ranker's features and model.
 */

/** The re-ranker: a logistic regression over a hit's features, trained by scripts/train-reranker.ts. */
export interface Reranker {
  weights: number[];
  bias: number;
}

/**
 * Features of one (question, article) pair: the hand-calibrated confidence, how much of the question the
 * article's title, tags and headings cover, the score relative to the best, how long the question is, how
 * much of it the knowledge base has never seen, and character-trigram similarity with the title.
 */
export const RERANK_FEATURES = [
  'confidence',
  'topical',
  'relative',
  'length',
  'unknown',
  'titleSimilarity',
] as const;

/** Raw score at which a match counts as half-strong: a lone body-text word scores ~2–8, a title or tag match 25+. */
const STRONG_SCORE = 12;

/**
 * Share of the query's meaning that an article covers: each group weighs its idf (a word no article
 * uses weighs like a fairly rare word), counts fully when a term matches exactly and half when it only
 * matches by prefix; a match in the title or tags (the article is *about* it) counts
 * 1.5 times.
 */
export function coverageOf(
  query: AnalyzedQuery,
  result: SearchResult,
  idf: (term: string) => number,
): number {
  const exact = new Set(result.terms);
  const matched = new Set(result.queryTerms);
  let total = 0;
  let covered = 0;
  for (const group of query.groups) {
    const weight = Math.max(...group.terms.map(idf)) * (group.synonym ? 1.2 : 1);
    total += weight;
    const topical = group.terms.some((term) =>
      result.match[term]?.some((field) => field === 'title' || field === 'tags'),
    );
    const credit = topical ? 1.5 : 1;
    if (group.terms.some((term) => exact.has(term))) covered += weight * credit;
    else if (group.terms.some((term) => matched.has(term))) covered += weight * 0.5;
    else continue;
    total += weight * (credit - 1);
  }
  return total === 0 ? 0 : Math.min(1, covered / total);
}

/**
 * Calibrated on the sample knowledge base (see kb-search.test.ts and the calibration notes in
 * local-assistant.ts): coverage is the main signal; the raw score guards against a query that is
 * "covered" only by a single weak body word; a hit far below the best one is discounted. On a much
 * larger or differently written knowledge base, re-check STRONG_SCORE.
 */
export function confidenceOf(coverage: number, score: number, topScore: number): number {
  const strength = 1 / (1 + Math.exp(-(score - STRONG_SCORE) / 3));
  const relative = topScore > 0 ? score / topScore : 0;
  const value = coverage ** 1.3 * strength * (0.5 + 0.5 * relative);
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}

/** Idf-weighted share of the question's groups found in the article's title, tags or headings. */
export function topicalCoverage(
  query: AnalyzedQuery,
  result: SearchResult,
  idf: (term: string) => number,
): number {
  let total = 0;
  let covered = 0;
  for (const group of query.groups) {
    const weight = Math.max(...group.terms.map(idf));
    total += weight;
    if (group.terms.some((t) => result.match[t]?.some((f) => f !== 'body'))) covered += weight;
  }
  return total === 0 ? 0 : covered / total;
}

function trigrams(text: string): Set<string> {
  const clean = ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= clean.length; i += 1) out.add(clean.slice(i, i + 3));
  return out;
}

/** Dice similarity of character trigrams: robust to typos and word forms. */
export function trigramSimilarity(a: string, b: string): number {
  const x = trigrams(a.slice(0, 500));
  const y = trigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared += 1;
  return (2 * shared) / (x.size + y.size);
}

export function rerank(model: Reranker, features: readonly number[]): number {
  const z = model.bias + features.reduce((sum, f, i) => sum + f * (model.weights[i] ?? 0), 0);
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}

/** The re-ranker shipped with Baton, or null when none was trained (the hand-calibrated confidence stands). */
export function loadReranker(
  path: URL | string = new URL('./model/reranker.json', import.meta.url),
): Reranker | null {
  if (!existsSync(path)) return null;
  return z
    .object({ weights: z.array(z.number()), bias: z.number() })
    .parse(JSON.parse(readFileSync(path, 'utf8')));
}
