import { describe, expect, it } from 'vitest';
import { TopKMiniSearch, type TopSearchOptions } from './top-k-mini-search.js';

interface Doc {
  id: string;
  title: string;
  tags: string;
  body: string;
}

const FIELDS = ['title', 'tags', 'body'];
const INDEX_OPTIONS = {
  fields: FIELDS,
  tokenize: (text: string) => text.split(' ').filter(Boolean),
  processTerm: (term: string) => term,
};
const SEARCH: TopSearchOptions = {
  boost: { title: 3, tags: 2.5, body: 1 },
  prefix: (term) => term.length >= 4,
  prefixWeight: 0.5,
};

function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    return s / 2 ** 32;
  };
}

// Stems that begin other stems, so prefix matching finds several longer terms for one query term.
const VOCABULARY = [
  'refund',
  'refunds',
  'refunding',
  'ship',
  'shipping',
  'shipment',
  'order',
  'orders',
  'account',
  'accounting',
  'pass',
  'password',
  'passwords',
  'card',
  'cards',
  'cardholder',
  'gift',
  'giftwrap',
  'track',
  'tracking',
  'return',
  'returns',
  'returned',
  'label',
  'labels',
  'invoice',
  'invoices',
  'cancel',
  'cancelled',
  'cancellation',
];

function corpus(seed: number, docs: number): Doc[] {
  const rand = lcg(seed);
  const word = () => VOCABULARY[Math.floor(VOCABULARY.length * rand() ** 2)]!;
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  return Array.from({ length: docs }, (_, i) => ({
    id: `d${i}`,
    title: words(1 + Math.floor(rand() * 4)),
    tags: rand() < 0.5 ? '' : words(1 + Math.floor(rand() * 2)),
    body: words(5 + Math.floor(rand() * 40)),
  }));
}

function queries(seed: number, n: number): string[][] {
  const rand = lcg(seed);
  const pick = () => (rand() < 0.1 ? 'unknownword' : VOCABULARY[Math.floor(VOCABULARY.length * rand())]!);
  return Array.from({ length: n }, () => {
    const terms = Array.from({ length: 1 + Math.floor(rand() * 5) }, pick);
    // Repeated terms and short ones (no prefix matching) are part of what real queries send.
    if (rand() < 0.2) terms.push(terms[0]!);
    if (rand() < 0.2) terms.push('car');
    return terms;
  });
}

function failingPrefix(): never {
  throw new Error('prefix failed');
}

/** What MiniSearch's own search returns for the same query, cut to the k best. */
function reference(mini: TopKMiniSearch<Doc>, terms: string[], k: number) {
  return mini
    .search(terms.join(' '), {
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      boost: { ...SEARCH.boost },
      prefix: SEARCH.prefix,
      weights: { prefix: SEARCH.prefixWeight, fuzzy: 0.45 },
    })
    .slice(0, k);
}

function expectSameAsMiniSearch(mini: TopKMiniSearch<Doc>, qs: string[][], k: number) {
  for (const terms of qs) {
    // Exact equality: same ids in the same order, same float scores, same matched terms and fields.
    expect(mini.top(terms, k, SEARCH), terms.join(' ')).toEqual(reference(mini, terms, k));
  }
}

describe('TopKMiniSearch.top', () => {
  const docs = corpus(7, 400);

  it("returns MiniSearch's own best results, scores and match details, ties in its order", () => {
    const mini = new TopKMiniSearch<Doc>(INDEX_OPTIONS);
    mini.addAll(docs);
    // Identical articles score the same: their order must be MiniSearch's (the order first matched).
    mini.addAll(
      [0, 1, 2].map((i) => ({ id: `twin${i}`, title: 'twinword', tags: '', body: 'refund order' })),
    );
    const qs = queries(11, 300);
    expectSameAsMiniSearch(mini, qs, 10);
    expectSameAsMiniSearch(mini, qs, 1);
    expectSameAsMiniSearch(mini, qs.slice(0, 50), 10_000);
    expectSameAsMiniSearch(mini, [['twinword'], ['twinword', 'refund']], 2);
    expect(mini.top(['twinword'], 2, SEARCH).map((r) => r.id)).toEqual(['twin0', 'twin1']);
  });

  it('stays exact after articles are removed and replaced', () => {
    const mini = new TopKMiniSearch<Doc>(INDEX_OPTIONS);
    mini.addAll(docs);
    for (const doc of docs.slice(0, 120)) mini.remove(doc);
    mini.addAll(corpus(99, 60).map((doc) => ({ ...doc, id: `new-${doc.id}` })));
    expectSameAsMiniSearch(mini, queries(12, 200), 10);
  });

  it('searches a restored index exactly as the one it was saved from', () => {
    const built = new TopKMiniSearch<Doc>(INDEX_OPTIONS);
    built.addAll(docs);
    const restored = TopKMiniSearch.restore<Doc>(built.toJSON(), INDEX_OPTIONS);
    expect(restored).toBeInstanceOf(TopKMiniSearch);
    // The restored radix tree lists longer terms in another order, so matched terms may be listed in
    // another order than in the index it was saved from; against MiniSearch on the same index it is exact.
    expectSameAsMiniSearch(restored, queries(13, 100), 10);
    for (const terms of queries(13, 100)) {
      const ids = (mini: TopKMiniSearch<Doc>) =>
        mini.top(terms, 10, SEARCH).map((r) => [r.id, r.score.toFixed(9)]);
      expect(ids(restored)).toEqual(ids(built));
    }
  });

  it('returns nothing for no terms, unknown terms or k of 0, and keeps no state between searches', () => {
    const mini = new TopKMiniSearch<Doc>(INDEX_OPTIONS);
    mini.addAll(docs);
    expect(mini.top([], 10, SEARCH)).toEqual([]);
    expect(mini.top(['', 'nosuchterm'], 10, SEARCH)).toEqual([]);
    expect(mini.top(['refund'], 0, SEARCH)).toEqual([]);
    const first = mini.top(['order', 'ship'], 10, SEARCH);
    mini.top(['password', 'card', 'gift'], 10, SEARCH);
    expect(mini.top(['order', 'ship'], 10, SEARCH)).toEqual(first);
  });

  it('grows its arrays for articles added after a search, and recovers from a search that threw', () => {
    const mini = new TopKMiniSearch<Doc>(INDEX_OPTIONS);
    mini.addAll(docs.slice(0, 10));
    expectSameAsMiniSearch(mini, queries(15, 20), 10);
    mini.addAll(docs.slice(10));
    expectSameAsMiniSearch(mini, queries(16, 100), 10);
    // A prefix callback that throws on the second term: the first term's documents were already scored.
    const throwing = { ...SEARCH, prefix: (term: string) => (term === 'ship' ? failingPrefix() : true) };
    expect(() => mini.top(['order', 'ship'], 10, throwing)).toThrow('prefix failed');
    expectSameAsMiniSearch(mini, queries(17, 100), 10);
  });

  it('takes the whole part of a fractional k and returns nothing for one that is not a number', () => {
    const mini = new TopKMiniSearch<Doc>(INDEX_OPTIONS);
    mini.addAll(docs);
    expect(mini.top(['order', 'refund'], 2.5, SEARCH)).toEqual(reference(mini, ['order', 'refund'], 2));
    expect(mini.top(['order'], Number.NaN, SEARCH)).toEqual([]);
  });

  it('falls back to MiniSearch after documents are discarded (their stale entries are cleaned as met)', () => {
    const mini = new TopKMiniSearch<Doc>({ ...INDEX_OPTIONS, autoVacuum: false });
    mini.addAll(docs);
    for (const doc of docs.slice(0, 50)) mini.discard(doc.id);
    expectSameAsMiniSearch(mini, queries(14, 100), 10);
  });
});
