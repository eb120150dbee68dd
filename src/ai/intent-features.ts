/**
 * Features for the intent classifier: word unigrams and bigrams plus character 3- to 5-grams inside
 * words. Character n-grams are what make it survive typos and run-on words ("wheresmyorder",
 * "somebdy"): most of a misspelt word's n-grams are still the right ones. Pure.
 */

/** Lowercase, accents off, letters repeated 3+ times cut to 2 ("pleeease"), digits folded to 0. */
export function normalizeForIntent(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .replace(/\d/g, '0');
}

export function intentWords(text: string): string[] {
  return normalizeForIntent(text).match(/[\p{L}0]+(?:'[\p{L}]+)?/gu) ?? [];
}

/** The distinct features of a message (presence, not counts: one angry word repeated is one signal). */
export function intentFeatures(text: string): string[] {
  const tokens = intentWords(text).slice(0, 200);
  const features = new Set<string>();
  for (let i = 0; i < tokens.length; i += 1) {
    const word = tokens[i]!;
    features.add(`w:${word}`);
    if (i > 0) features.add(`b:${tokens[i - 1]} ${word}`);
    const padded = `^${word}$`;
    for (let n = 3; n <= 5; n += 1)
      for (let j = 0; j + n <= padded.length; j += 1) features.add(`c:${padded.slice(j, j + n)}`);
  }
  if (tokens.length === 0) features.add('empty');
  if (/\?\s*$/.test(text)) features.add('ends:?');
  if (/!/.test(text)) features.add('has:!');
  if (/\b[A-Z]{4,}\b/.test(text)) features.add('has:caps');
  return [...features];
}
