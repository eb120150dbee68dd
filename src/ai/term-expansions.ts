import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { contentTerms } from '../lib/text-terms.js';

/**
 * Query expansions learned from the tuning questions (scripts/learn-expansions.ts): a word customers use
 * that the answering article does not ("bill", "swap", "ditch") -> the article's own words it stood for
 * ("invoic", "exchang", "cancel"). Stemmed terms both sides, so they carry over to any knowledge base
 * written in the same support language. Pure.
 */
export type TermExpansions = Readonly<Record<string, readonly string[]>>;

export interface ExpansionExample {
  question: string;
  /** All the words of the articles that answer it (title, tags, headings, body). */
  articleText: string;
  /** The words that say what the article is about (title, tags, headings). */
  articleTopic: string;
}

/**
 * Counts, for each question word the answering article lacks, the topic words of that article; keeps a
 * pair when it holds in at least `minCount` questions and for at least `minShare` of the word's uses.
 */
export function learnExpansions(
  examples: readonly ExpansionExample[],
  options: { minCount?: number; minShare?: number; maxPerWord?: number; maxTopics?: number } = {},
): Record<string, string[]> {
  const minCount = options.minCount ?? 3;
  const minShare = options.minShare ?? 0.6;
  // Words in many questions ("get", "order") are how people talk, not what they ask about.
  const generic = new Map<string, number>();
  for (const ex of examples)
    for (const word of new Set(contentTerms(ex.question))) generic.set(word, (generic.get(word) ?? 0) + 1);
  const maxQuestions = Math.max(minCount, examples.length * 0.03);
  const maxPerWord = options.maxPerWord ?? 3;
  const uses = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  for (const ex of examples) {
    const inArticle = new Set(contentTerms(ex.articleText));
    const topic = [...new Set(contentTerms(ex.articleTopic))];
    for (const word of new Set(contentTerms(ex.question))) {
      if (inArticle.has(word) || (generic.get(word) ?? 0) > maxQuestions) continue;
      uses.set(word, (uses.get(word) ?? 0) + 1);
      const row = pairs.get(word) ?? new Map<string, number>();
      for (const term of topic) row.set(term, (row.get(term) ?? 0) + 1);
      pairs.set(word, row);
    }
  }
  // An expansion must point at what few articles are about ("invoic"), not at words many titles share
  // ("chang", "account"): those would make any question look answerable.
  const topicSpread = new Map<string, Set<string>>();
  for (const ex of examples)
    for (const term of new Set(contentTerms(ex.articleTopic)))
      (topicSpread.get(term) ?? topicSpread.set(term, new Set()).get(term)!).add(ex.articleTopic);
  const specific = (term: string) => (topicSpread.get(term)?.size ?? 0) <= (options.maxTopics ?? 5);
  const out: Record<string, string[]> = {};
  for (const [word, row] of [...pairs.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const n = uses.get(word) ?? 0;
    const kept = [...row.entries()]
      .filter(([term, count]) => count >= minCount && count / n >= minShare && specific(term))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, maxPerWord)
      .map(([term]) => term);
    if (kept.length > 0) out[word] = kept;
  }
  return out;
}

/** The expansions shipped with Baton (src/ai/model/expansions.json), read when an index is built. */
export function loadTermExpansions(
  path: URL | string = new URL('./model/expansions.json', import.meta.url),
): TermExpansions {
  return z.record(z.string(), z.array(z.string())).parse(JSON.parse(readFileSync(path, 'utf8')));
}
