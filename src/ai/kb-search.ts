import type { SearchResult } from 'minisearch';
import type { Article } from './kb-loader.js';
import { createIndexContents, type SavedIndex } from './kb-index.js';
import {
  confidenceOf,
  coverageOf,
  loadReranker,
  type Reranker,
  rerank,
  topicalCoverage,
  trigramSimilarity,
} from './kb-scoring.js';
import { type AnalyzedQuery, analyzeQuery } from './query.js';
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

export interface SearchIndex {
  search(query: string, limit?: number): SearchHit[];
  /** The stemmed terms a query is searched with (for picking the best passage of an article). */
  queryTerms(query: string): string[];
}

/** An index that follows the knowledge base article by article, and can be saved and restored. */
export interface EditableSearchIndex extends SearchIndex {
  /** Adds an article, or replaces the one with its id. */
  upsert(article: Article): void;
  remove(id: string): void;
  get(id: string): Article | undefined;
  /** The indexed articles, in no particular order. */
  articles(): Iterable<Article>;
  save(): SavedIndex;
  /** Whether the index holds these articles and no others (a restored index is checked with it). */
  holdsExactly(ids: readonly string[]): boolean;
}

const BOOST = { title: 3, tags: 2.5, headings: 1.5, body: 1 };
const UNKNOWN_TERM_WEIGHT = 0.6;
/** Prefix matching ("pass" → "password") for query terms at least this long. */
const PREFIX_MIN = 4;
/** Knowledge bases with at least this many articles drop query words found in more than this share of them. */
const UBIQUITOUS_MIN_ARTICLES = 200;
const UBIQUITOUS_SHARE = 0.3;
/** How many of the best BM25 results are re-ranked by confidence. */
const RERANK_POOL = 10;

/**
 * Builds an in-memory index (or restores a saved one: `saved` must have been made from exactly these
 * articles). Words are stemmed and stopwords dropped both when indexing and searching. A query word
 * the knowledge base never uses is first corrected to a vocabulary word about one typo away (the
 * speller: "pasword" → "password", "internationaly" → "international"), then prefix matching applies
 * to terms of 4+ characters ("car" does not match "card"). Hits are the best BM25 candidates re-ranked
 * by calibrated confidence.
 */
export function createSearchIndex(
  articles: readonly Article[],
  options: { expansions?: TermExpansions; reranker?: Reranker | null; saved?: SavedIndex } = {},
): EditableSearchIndex {
  const expansions = options.expansions ?? loadTermExpansions();
  const reranker = options.reranker === undefined ? loadReranker() : options.reranker;
  const byId = new Map(articles.map((article) => [article.id, article]));
  const contents = createIndexContents(options.saved);
  if (!options.saved) for (const article of articles) contents.add(article);
  const { mini, docFreq, correct } = contents;

  const analyze = (query: unknown) => analyzeQuery(safeQuery(query), correct, expansions);
  // On a large base, a word in most articles ranks nothing but makes every article a candidate:
  // such groups are left out of the search and of the coverage (as if they were stopwords).
  const ubiquitous = (term: string) =>
    byId.size >= UBIQUITOUS_MIN_ARTICLES && (docFreq.get(term) ?? 0) > byId.size * UBIQUITOUS_SHARE;
  const withoutUbiquitous = (query: AnalyzedQuery): AnalyzedQuery => {
    if (byId.size < UBIQUITOUS_MIN_ARTICLES) return query;
    const groups = query.groups.filter((group) => !group.terms.every(ubiquitous));
    return { groups, terms: [...new Set(groups.flatMap((group) => group.terms))] };
  };
  // A word no article uses (a product name, a typo, a person's name) weighs like a fairly rare word,
  // not like the rarest possible one, so one unknown word does not sink a clear question.
  const idf = (term: string) => {
    const df = docFreq.get(term) ?? 0;
    const maxKnownIdf = Math.log(1 + byId.size / 1.5);
    return df === 0 ? UNKNOWN_TERM_WEIGHT * maxKnownIdf : Math.log(1 + byId.size / (df + 0.5));
  };

  return {
    queryTerms: (query) => analyze(query).terms,
    search(query, limit = 5) {
      const analyzed = withoutUbiquitous(analyze(query));
      if (analyzed.terms.length === 0 || byId.size === 0) return [];
      // Typos were already corrected against the vocabulary (createSpeller), so no fuzzy expansion:
      // on a large base it was the slowest part of a search.
      const results = mini.top(analyzed.terms, Math.max(RERANK_POOL, limit), {
        boost: BOOST,
        prefix: (term) => term.length >= PREFIX_MIN,
        prefixWeight: 0.5,
      });
      const top = results[0]?.score ?? 0;
      // Rank the strongest BM25 candidates by calibrated confidence: an article that covers every
      // word of the question beats one that only has a frequent word in its title.
      const scored: (SearchHit & { result: SearchResult })[] = [];
      for (const result of results) {
        const article = byId.get(String(result.id));
        if (!article) continue;
        const confidence = confidenceOf(coverageOf(analyzed, result, idf), result.score, top);
        scored.push({ article, score: result.score, confidence, matchedTerms: result.queryTerms, result });
      }
      // Ties go by id: an edited article must rank where it would in an index built afresh.
      scored.sort(
        (a, b) =>
          b.confidence - a.confidence ||
          b.score - a.score ||
          (a.article.id < b.article.id ? -1 : a.article.id > b.article.id ? 1 : 0),
      );
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
    upsert(article) {
      const old = byId.get(article.id);
      if (old) contents.remove(old);
      contents.add(article);
      byId.set(article.id, article);
    },
    remove(id) {
      const old = byId.get(id);
      if (!old) return;
      contents.remove(old);
      byId.delete(id);
    },
    get: (id) => byId.get(id),
    articles: () => byId.values(),
    save: contents.save,
    holdsExactly: (ids) =>
      new Set(ids).size === ids.length &&
      mini.documentCount === ids.length &&
      ids.every((id) => mini.has(id)),
  };
}

function safeQuery(query: unknown): string {
  return typeof query === 'string' ? query.slice(0, 8_000) : '';
}
