/**
 * Spelling correction against the knowledge base's words (symmetric delete, one deletion on each side):
 * finds words within about one typo (a missing, extra, wrong or swapped letter) in O(word length).
 * The vocabulary grows and shrinks with the knowledge base, so an edited article updates it in place
 * instead of rebuilding it; `isKnown` says whether a word is already searchable as it is.
 */
export function createSpeller(isKnown: (word: string) => boolean) {
  /** How many articles use each word of 4+ letters. */
  const frequency = new Map<string, number>();
  /**
   * Each word and its one-letter deletions → the words they come from. Not capped: a capped list would
   * depend on the order words came and went, and an edited knowledge base must correct like a fresh one.
   */
  const byDelete = new Map<string, string[]>();
  const cache = new Map<string, string | undefined>();
  const keysOf = (word: string) => {
    const keys = [word];
    for (let i = 0; i < word.length; i += 1) keys.push(word.slice(0, i) + word.slice(i + 1));
    return keys;
  };

  return {
    /** Counts one more article using `word` (`times` more, when restoring a saved vocabulary). */
    add(word: string, times = 1) {
      if (word.length < 4) return;
      const before = frequency.get(word) ?? 0;
      frequency.set(word, before + times);
      if (cache.size > 0) cache.clear();
      if (before > 0) return;
      for (const key of keysOf(word)) {
        const list = byDelete.get(key);
        if (!list) byDelete.set(key, [word]);
        else if (!list.includes(word)) list.push(word);
      }
    },
    /** Counts one article fewer using `word`; a word no article uses any more is forgotten. */
    remove(word: string) {
      const before = frequency.get(word);
      if (before === undefined) return;
      if (cache.size > 0) cache.clear();
      if (before > 1) {
        frequency.set(word, before - 1);
        return;
      }
      frequency.delete(word);
      for (const key of keysOf(word)) {
        const list = byDelete.get(key)?.filter((w) => w !== word);
        if (!list?.length) byDelete.delete(key);
        else byDelete.set(key, list);
      }
    },
    /** The vocabulary with its counts, in the order words first came (to save and restore it). */
    entries: () => [...frequency],
    /** A close word the knowledge base uses, for a word it does not use; undefined when none or not needed. */
    correct(word: string): string | undefined {
      if (word.length < 4 || word.length > 24 || frequency.has(word) || isKnown(word)) return undefined;
      if (cache.has(word)) return cache.get(word);
      let best: string | undefined;
      // The word more articles use; between equals, the first in alphabetical order (not the first added).
      const consider = (candidate: string) => {
        const [mine, theirs] = [frequency.get(candidate) ?? 0, best ? (frequency.get(best) ?? 0) : -1];
        if (mine > theirs || (mine === theirs && best !== undefined && candidate < best)) best = candidate;
      };
      for (const candidate of byDelete.get(word) ?? []) consider(candidate);
      // Words of 7+ letters also get one edit on their own side (a wrong or extra letter, a swap);
      // shorter ones would turn real words into others ("stuff" → "staff", "maths" → "match").
      if (word.length >= 7)
        for (let i = 0; i < word.length; i += 1)
          for (const candidate of byDelete.get(word.slice(0, i) + word.slice(i + 1)) ?? [])
            consider(candidate);
      if (cache.size > 5_000) cache.clear();
      cache.set(word, best);
      return best;
    },
  };
}

export type Speller = ReturnType<typeof createSpeller>;
