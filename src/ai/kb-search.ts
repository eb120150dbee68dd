import { existsSync, readFileSync } from 'node:fs';
import MiniSearch, { type SearchResult } from 'minisearch';
import { z } from 'zod';
import type { Article } from './kb-loader.js';
import { type AnalyzedQuery, analyzeQuery, createSpeller } from './query.js';
import { normalizeTerm, words } from '../lib/text-terms.js';
import { loadTermExpansions, type TermExpansions } from './term-expansions.js';

export interface SearchHit {
  article: Article;
  /** Raw MiniSearch (BM25+) score, only comparable within one query. */
  score: number;
  /** Calibrated 0..1: how likely the article answers the query (see `confidenceOf`). */
  confidence: number;
  /** Query terms that matched this article. */
  matchedTerms: string[];
  /** What the re-ranker reads (see RERANK_FEATURES); on the best hit only, so it can be trained and explained. */
  features?: number[];
}

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

export interface SearchIndex {
  search(query: string, limit?: number): SearchHit[];
  /** The stemmed terms a query is searched with (for picking the best passage of an article). */
  queryTerms(query: string): string[];
}

interface IndexedDoc {
  id: string;
  title: string;
  tags: string;
  headings: string;
  body: string;
}

const FIELDS = ['title', 'tags', 'headings', 'body'] as const;
const BOOST = { title: 3, tags: 2.5, headings: 1.5, body: 1 };
const UNKNOWN_TERM_WEIGHT = 0.6;
/** Prefix matching ("pass" → "password") for query terms at least this long. */
const PREFIX_MIN = 4;
/** Knowledge bases with at least this many articles drop query words found in more than this share of them. */
const UBIQUITOUS_MIN_ARTICLES = 200;
const UBIQUITOUS_SHARE = 0.3;
/** How many of the best BM25 results are re-ranked by confidence. */
const RERANK_POOL = 10;
/** Raw score at which a match counts as half-strong: a lone body-text word scores ~2–8, a title or tag match 25+. */
const STRONG_SCORE = 12;

/**
 * Builds an in-memory index. Words are stemmed and stopwords dropped both when indexing and
 * searching. A query word the knowledge base never uses is first corrected to a vocabulary word about
 * one typo away (createSpeller: "pasword" → "password", "internationaly" → "international"), then
 * prefix matching applies to terms of 4+ characters ("car" does not match "card"). Hits are the best
 * BM25 candidates re-ranked by calibrated confidence.
 */
export function createSearchIndex(
  articles: readonly Article[],
  options: { expansions?: TermExpansions; reranker?: Reranker | null } = {},
): SearchIndex {
  const expansions = options.expansions ?? loadTermExpansions();
  const reranker = options.reranker === undefined ? loadReranker() : options.reranker;
  const byId = new Map(articles.map((article) => [article.id, article]));
  // A base has a few tens of thousands of distinct words but millions of word occurrences: each word
  // is stemmed once while the index is built (the stemmer was most of the build time), then let go.
  let stems: Map<string, string | null> | undefined = new Map();
  const stem = (word: string) => {
    if (!stems) return normalizeTerm(word);
    let term = stems.get(word);
    if (term === undefined) {
      term = normalizeTerm(word);
      stems.set(word, term);
    }
    return term;
  };
  const mini = new MiniSearch<IndexedDoc>({
    fields: [...FIELDS],
    idField: 'id',
    tokenize: (text) => words(text),
    processTerm: (term) => stem(term),
  });
  mini.addAll(
    articles.map((article) => ({
      id: article.id,
      title: article.title,
      tags: article.tags.join(' '),
      headings: article.sections.map((section) => section.heading).join('. '),
      body: article.body,
    })),
  );

  // Document frequency per stemmed term, for idf-weighted query coverage; the raw words feed the speller.
  const docFreq = new Map<string, number>();
  const vocabulary: string[] = [];
  for (const article of articles) {
    const raw = new Set(words(`${article.title} ${article.tags.join(' ')} ${article.body}`));
    const terms = new Set<string>();
    for (const word of raw) {
      const term = stem(word);
      if (!term) continue;
      terms.add(term);
      vocabulary.push(word);
    }
    for (const term of terms) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
  }
  const correct = createSpeller(vocabulary, (word) => {
    const term = stem(word);
    return term === null || docFreq.has(term);
  });
  stems = undefined;
  const analyze = (query: unknown) => analyzeQuery(safeQuery(query), correct, expansions);
  // On a large base, a word in most articles ranks nothing but makes every article a candidate:
  // such groups are left out of the search and of the coverage (as if they were stopwords).
  const ubiquitous = (term: string) =>
    articles.length >= UBIQUITOUS_MIN_ARTICLES &&
    (docFreq.get(term) ?? 0) > articles.length * UBIQUITOUS_SHARE;
  const withoutUbiquitous = (query: AnalyzedQuery): AnalyzedQuery => {
    if (articles.length < UBIQUITOUS_MIN_ARTICLES) return query;
    const groups = query.groups.filter((group) => !group.terms.every(ubiquitous));
    return { groups, terms: [...new Set(groups.flatMap((group) => group.terms))] };
  };
  // A word no article uses (a product name, a typo, a person's name) weighs like a fairly rare word,
  // not like the rarest possible one, so one unknown word does not sink a clear question.
  const maxKnownIdf = Math.log(1 + articles.length / 1.5);
  const idf = (term: string) => {
    const df = docFreq.get(term) ?? 0;
    return df === 0 ? UNKNOWN_TERM_WEIGHT * maxKnownIdf : Math.log(1 + articles.length / (df + 0.5));
  };

  return {
    queryTerms: (query) => analyze(query).terms,
    search(query, limit = 5) {
      const analyzed = withoutUbiquitous(analyze(query));
      if (analyzed.terms.length === 0 || articles.length === 0) return [];
      // Typos were already corrected against the vocabulary (createSpeller), so no fuzzy expansion:
      // on a large base it was the slowest part of a search.
      const results = mini.search(analyzed.terms.join(' '), {
        tokenize: (text) => text.split(' '),
        processTerm: (term) => term,
        boost: BOOST,
        prefix: (term) => term.length >= PREFIX_MIN,
        weights: { prefix: 0.5, fuzzy: 0.35 },
      });
      const top = results[0]?.score ?? 0;
      // Rank the strongest BM25 candidates by calibrated confidence: an article that covers every
      // word of the question beats one that only has a frequent word in its title.
      const scored: (SearchHit & { result: SearchResult })[] = [];
      for (const result of results.slice(0, Math.max(RERANK_POOL, limit))) {
        const article = byId.get(String(result.id));
        if (!article) continue;
        const confidence = confidenceOf(coverageOf(analyzed, result, idf), result.score, top);
        scored.push({ article, score: result.score, confidence, matchedTerms: result.queryTerms, result });
      }
      scored.sort((a, b) => b.confidence - a.confidence || b.score - a.score);
      // The order stays the hand-calibrated one; the re-ranker says how likely the best hit answers the
      // question at all, and the others keep their distance below it. Its features are read for that hit only.
      const best = scored[0];
      if (best) {
        best.features = [
          best.confidence,
          topicalCoverage(analyzed, best.result, idf),
          top > 0 ? best.score / top : 0,
          Math.log(1 + analyzed.groups.length) / Math.log(33),
          analyzed.groups.filter((g) => g.terms.every((t) => !docFreq.has(t))).length /
            analyzed.groups.length,
          trigramSimilarity(String(query), best.article.title),
        ];
        if (reranker && best.confidence > 0) {
          const scale = rerank(reranker, best.features) / best.confidence;
          for (const hit of scored) hit.confidence = Math.round(hit.confidence * scale * 1000) / 1000;
        }
      }
      return scored.slice(0, Math.max(1, limit)).map(({ result: _result, ...hit }) => hit);
    },
  };
}

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
function topicalCoverage(query: AnalyzedQuery, result: SearchResult, idf: (term: string) => number): number {
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

function safeQuery(query: unknown): string {
  return typeof query === 'string' ? query.slice(0, 8_000) : '';
}
