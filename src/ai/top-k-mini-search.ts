import MiniSearch, { type AsPlainObject, type Options, type SearchResult } from 'minisearch';

/** How `top` searches: MiniSearch's OR query with field boosts and optional prefix matching, no fuzzy. */
export interface TopSearchOptions {
  boost: Readonly<Record<string, number>>;
  /** Whether a query term also matches the longer indexed terms it begins. */
  prefix: (term: string) => boolean;
  prefixWeight: number;
}

type FieldTermData = Map<number, Map<number, number>>;
/** An indexed term a query term matches, the weight of that match, and the term's postings by field. */
type DerivedTerm = [term: string, weight: number, data: FieldTermData];

/**
 * MiniSearch with a search that returns only the best `k` results, with exactly the scores, order and
 * match details MiniSearch's own `search` gives them (top-k-mini-search.test.ts compares the two).
 *
 * Why: `search` builds a result object, a match map and term lists for every document matching any
 * query term (hundreds to thousands on a 10,000-article base), then sorts them all, to keep ten. Those
 * short-lived objects made a young-generation collection every ~30 searches, 3.5–11 ms each, which set
 * the search's p99. `top` scores into typed arrays kept between searches and builds objects for the k
 * best only.
 *
 * What `top` leaves out because Baton's index does not use it: stored fields (`storeFields`), and the
 * constructor's default search options other than BM25's parameters (filter, document and term boosts,
 * fuzzy matching, AND). One search at a time: `top` is not re-entrant (from inside `prefix`).
 */
export class TopKMiniSearch<T> extends MiniSearch<T> {
  private total = new Float64Array(0);
  private termScore = new Float64Array(0);
  private quality = new Uint32Array(0);
  private seen = new Uint8Array(0);
  private inTerm = new Uint8Array(0);
  private order = new Int32Array(0);
  private termDocs = new Int32Array(0);
  /** How many of `termDocs` the term being scored has reached. */
  private reached = 0;

  /** A saved index restored into this class (MiniSearch.loadJS always makes a plain MiniSearch). */
  static restore<T>(saved: AsPlainObject, options: Options<T>): TopKMiniSearch<T> {
    // The loaded index keeps its whole state in own properties, so they move over as they are.
    return Object.assign(new TopKMiniSearch<T>(options), MiniSearch.loadJS<T>(saved, options));
  }

  /** The `k` best results for these (already tokenized and processed) query terms, best first. */
  top(terms: readonly string[], k: number, options: TopSearchOptions): SearchResult[] {
    const wanted = Math.floor(k);
    if (!(wanted >= 1)) return [];
    if (this._dirtCount > 0) {
      // Discarded documents leave index entries that MiniSearch's search cleans up as it meets them.
      return this.search(terms.join(' '), {
        tokenize: (text) => text.split(' '),
        processTerm: (term) => term,
        boost: { ...options.boost },
        prefix: options.prefix,
        weights: { prefix: options.prefixWeight, fuzzy: 0 },
      }).slice(0, wanted);
    }
    this.reserve(this._nextId);
    const fields = this._options.fields;
    const derivedBySource: [string, DerivedTerm[]][] = [];
    const counted = new Set<string>();
    let docs = 0;
    try {
      for (const term of terms) {
        if (!term) continue;
        // Like MiniSearch: each query term is scored on its own, then added to the running totals.
        const derived = this.derivedTerms(term, options);
        derivedBySource.push([term, derived]);
        this.scoreTerm(derived, fields, options.boost);
        // A repeated query term adds its score again but is one matched term (as in MiniSearch).
        const counts = !counted.has(term);
        counted.add(term);
        for (let i = 0; i < this.reached; i += 1) {
          const doc = this.termDocs[i] ?? 0;
          const score = this.termScore[doc] ?? 0;
          if (this.seen[doc]) this.total[doc] = (this.total[doc] ?? 0) + score;
          else {
            this.seen[doc] = 1;
            this.total[doc] = score;
            this.quality[doc] = 0;
            this.order[docs++] = doc;
          }
          if (counts) this.quality[doc] = (this.quality[doc] ?? 0) + 1;
          this.inTerm[doc] = 0;
        }
      }
      const best = this.best(docs, wanted);
      return best.map(({ doc, score }) => this.resultFor(doc, score, derivedBySource, fields));
    } finally {
      // The flags are kept between searches: whatever happened (a prefix callback that threw), the
      // next search starts from clean ones.
      for (let i = 0; i < docs; i += 1) this.seen[this.order[i] ?? 0] = 0;
      for (let i = 0; i < this.reached; i += 1) this.inTerm[this.termDocs[i] ?? 0] = 0;
      this.reached = 0;
    }
  }

  /** The indexed terms a query term matches, in MiniSearch's order: itself, then the longer ones it begins. */
  private derivedTerms(term: string, options: TopSearchOptions): DerivedTerm[] {
    const derived: DerivedTerm[] = [];
    const exact = this._index.get(term);
    if (exact) derived.push([term, 1, exact]);
    if (!options.prefix(term)) return derived;
    for (const [longer, data] of this._index.atPrefix(term)) {
      const distance = longer.length - term.length;
      if (!distance) continue;
      derived.push([longer, (options.prefixWeight * longer.length) / (longer.length + 0.3 * distance), data]);
    }
    return derived;
  }

  /**
   * One query term's BM25+ score per document into `termScore`, summed in MiniSearch's order (derived
   * term, field, document); the documents it reached are `termDocs[0..reached)`.
   */
  private scoreTerm(derived: DerivedTerm[], fields: readonly string[], boost: TopSearchOptions['boost']) {
    const bm25 = this._options.searchOptions.bm25;
    this.reached = 0;
    for (const [, weight, data] of derived) {
      for (const field of fields) {
        const fieldId = this._fieldIds[field];
        const freqs = fieldId === undefined ? undefined : data.get(fieldId);
        if (fieldId === undefined || !freqs) continue;
        // MiniSearch reads a boost only from the object's own properties.
        const fieldBoost = (Object.hasOwn(boost, field) ? boost[field] : undefined) || 1;
        const avgLength = this._avgFieldLength[fieldId] ?? 0;
        const idf = Math.log(1 + (this._documentCount - freqs.size + 0.5) / (freqs.size + 0.5));
        for (const [doc, tf] of freqs) {
          const length = this._fieldLength.get(doc)?.[fieldId] ?? 0;
          const raw =
            idf *
            (bm25.d + (tf * (bm25.k + 1)) / (tf + bm25.k * (1 - bm25.b + (bm25.b * length) / avgLength)));
          const weighted = weight * fieldBoost * raw;
          if (this.inTerm[doc]) this.termScore[doc] = (this.termScore[doc] ?? 0) + weighted;
          else {
            this.inTerm[doc] = 1;
            this.termScore[doc] = weighted;
            this.termDocs[this.reached++] = doc;
          }
        }
      }
    }
  }

  /** The k best of the documents scored, by score, ties in the order they were first matched. */
  private best(docs: number, k: number): { doc: number; score: number }[] {
    const best: { doc: number; score: number }[] = [];
    for (let i = 0; i < docs; i += 1) {
      const doc = this.order[i] ?? 0;
      const score = (this.total[doc] ?? 0) * (this.quality[doc] || 1);
      const last = best.at(-1);
      if (best.length >= k && last && !(score > last.score)) continue;
      let at = best.length;
      while (at > 0 && score > (best[at - 1]?.score ?? Number.POSITIVE_INFINITY)) at -= 1;
      best.splice(at, 0, { doc, score });
      if (best.length > k) best.pop();
    }
    return best;
  }

  /** The result MiniSearch would give this document: matched terms and the fields they matched in. */
  private resultFor(
    doc: number,
    score: number,
    derivedBySource: [string, DerivedTerm[]][],
    fields: readonly string[],
  ): SearchResult {
    let match: Record<string, string[]> | undefined;
    const queryTerms: string[] = [];
    for (const [source, derived] of derivedBySource) {
      let termMatch: Record<string, string[]> | undefined;
      for (const [term, , data] of derived) {
        for (const field of fields) {
          const fieldId = this._fieldIds[field];
          if (fieldId === undefined || !data.get(fieldId)?.has(doc)) continue;
          if (!termMatch) termMatch = { [term]: [field] };
          else {
            const matched = Object.hasOwn(termMatch, term) ? termMatch[term] : undefined;
            if (matched) matched.push(field);
            else termMatch[term] = [field];
          }
        }
      }
      if (!termMatch) continue;
      match = match ? Object.assign(match, termMatch) : termMatch;
      if (!queryTerms.includes(source)) queryTerms.push(source);
    }
    const found = match ?? {};
    return { id: this._documentIds.get(doc), score, terms: Object.keys(found), queryTerms, match: found };
  }

  /** Grows the per-document arrays to hold short ids below `size`. */
  private reserve(size: number) {
    if (this.total.length >= size) return;
    const capacity = Math.max(size, this.total.length * 2, 64);
    const grow = <A extends Float64Array | Uint32Array | Uint8Array | Int32Array>(
      old: A,
      make: (n: number) => A,
    ) => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.total = grow(this.total, (n) => new Float64Array(n));
    this.termScore = grow(this.termScore, (n) => new Float64Array(n));
    this.quality = grow(this.quality, (n) => new Uint32Array(n));
    this.seen = grow(this.seen, (n) => new Uint8Array(n));
    this.inTerm = grow(this.inTerm, (n) => new Uint8Array(n));
    this.order = grow(this.order, (n) => new Int32Array(n));
    this.termDocs = grow(this.termDocs, (n) => new Int32Array(n));
  }
}
