import { createHash } from 'node:crypto';
import type { AsPlainObject } from 'minisearch';
import { type Article, parseArticle } from './kb-loader.js';
import { normalizeTerm, words } from '../lib/text-terms.js';
import { createSpeller } from './speller.js';
import { TopKMiniSearch } from './top-k-mini-search.js';

/** What MiniSearch indexes of an article. */
export interface IndexedDoc {
  id: string;
  title: string;
  tags: string;
  headings: string;
  body: string;
}

/** A saved index (kb-cache.ts keeps it with the fingerprint of the code that made it: indexFingerprint). */
export interface SavedIndex {
  mini: AsPlainObject;
  docFreq: [string, number][];
  words: [string, number][];
}

export const FIELDS = ['title', 'tags', 'headings', 'body'] as const;
/** Bump when what is saved changes shape or meaning in a way the probe below cannot see. */
const FORMAT = 2;
/**
 * A sample article run through the parser, tokenizer and stemmer: a change to any of them (markdown
 * flattening, stopwords, irregular forms, spelling variants) changes the fingerprint, and saved copies
 * made by the old code are then rebuilt instead of mixing two ways of reading words.
 */
const PROBE = [
  '---',
  'title: "Refunds & exchanges"',
  'tags: [Orders, "2FA"]',
  '---',
  '# Ignored',
  "Refunds, shipping's cancelled orders; **passwords** re-sent: [codes](https://x.example) (naïve café).",
  '## The children ran; mice were better at colouring, organising and analysing',
  '| Item | Price |',
  '|---|---|',
  "| Gift-wrap | $4.95, we're e-mailing it to you and yours |",
].join('\n');
/** The fingerprint of this code's way of reading articles (cheap: one small article parsed). */
export function indexFingerprint(): string {
  const probe = parseArticle('probe', PROBE);
  return createHash('sha256')
    .update(
      JSON.stringify([FORMAT, FIELDS, probe, docOf(probe), words(probe.body).map((w) => normalizeTerm(w))]),
    )
    .digest('hex')
    .slice(0, 16);
}

/** Stems remembered (a base has tens of thousands of distinct words but millions of occurrences). */
const STEM_CACHE_MAX = 200_000;

/**
 * What a search needs besides the articles: the BM25 index, how many articles use each stemmed term,
 * and the words the speller corrects towards. All three change article by article (an edited article is
 * taken out with what it added, then put back), and all three can be saved and restored, so neither an
 * edit nor a restart rebuilds them.
 */
export function createIndexContents(saved?: SavedIndex) {
  const stems = new Map<string, string | null>();
  const stem = (word: string) => {
    let term = stems.get(word);
    if (term === undefined) {
      term = normalizeTerm(word);
      if (stems.size >= STEM_CACHE_MAX) stems.clear();
      stems.set(word, term);
    }
    return term;
  };
  const options = {
    fields: [...FIELDS],
    idField: 'id',
    tokenize: (text: string) => words(text),
    processTerm: (term: string) => stem(term),
  };
  const mini = saved
    ? TopKMiniSearch.restore<IndexedDoc>(saved.mini, options)
    : new TopKMiniSearch<IndexedDoc>(options);
  const docFreq = new Map(saved?.docFreq);
  const speller = createSpeller((word) => {
    const term = stem(word);
    return term === null || docFreq.has(term);
  });
  for (const [word, count] of saved?.words ?? []) speller.add(word, count);

  /** An article's distinct words that index to a term, and those terms (for docFreq and the speller). */
  const vocabularyOf = (article: Article) => {
    const kept: string[] = [];
    const terms = new Set<string>();
    for (const word of new Set(words(`${article.title} ${article.tags.join(' ')} ${article.body}`))) {
      const term = stem(word);
      if (!term) continue;
      terms.add(term);
      kept.push(word);
    }
    return { kept, terms };
  };

  return {
    mini,
    docFreq,
    correct: speller.correct,
    add(article: Article) {
      mini.add(docOf(article));
      const { kept, terms } = vocabularyOf(article);
      for (const word of kept) speller.add(word);
      for (const term of terms) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
    },
    /** Takes out exactly what `add` put in for this (same) article. */
    remove(article: Article) {
      mini.remove(docOf(article));
      const { kept, terms } = vocabularyOf(article);
      for (const word of kept) speller.remove(word);
      for (const term of terms) {
        const n = (docFreq.get(term) ?? 0) - 1;
        if (n > 0) docFreq.set(term, n);
        else docFreq.delete(term);
      }
    },
    save: (): SavedIndex => ({
      mini: mini.toJSON(),
      docFreq: [...docFreq],
      words: speller.entries(),
    }),
  };
}

export type IndexContents = ReturnType<typeof createIndexContents>;

function docOf(article: Article): IndexedDoc {
  return {
    id: article.id,
    title: article.title,
    tags: article.tags.join(' '),
    headings: article.sections.map((section) => section.heading).join('. '),
    body: article.body,
  };
}
