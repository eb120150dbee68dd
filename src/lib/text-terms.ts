import { stemmer } from 'stemmer';

/**
 * Content terms of short texts: tokens, stopwords and stems, and the overlap of two term sets. Pure
 * and shared by the assistant (search, intents, summaries) and the desk metrics (repeat detection).
 * Nothing is computed at import time except the constant stopword set.
 */

const STOPWORDS = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't
she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then
there there's these they they'd they'll they're they've this those through to too under until up very was
wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's
whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
hi hello hey please pls thanks thank thx ok okay yes yeah just also still really get got want wanted need
needs like would know tell help can could will shall may might must im ive dont cant wont whats hows wheres
does anything something someone anyone there's able way thing things much many one two use using used take
takes long go going make put come came see look try give say said says sure today now soon yet ago lot bit
mean means meaning time times show shows last week weeks yesterday bought buy buying purchase purchased customer customers never
u ur r ya wat wot hw dose abt bc cuz plz pls wanna gonna gotta guys nothing anymore whats wheres hows doesnt didnt isnt
wasnt havent hasnt went later kind sort actually basically maybe ok okay um uh hmm`.split(/\s+/),
);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Lower-cased word tokens (letters, digits, inner apostrophes); hyphenated words are split. */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[\u2018\u2019]/g, "'")
      .match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? []
  );
}

/** Normalises a single word for indexing and matching: stopwords → null, otherwise a Porter stem. */
export function normalizeTerm(word: string): string | null {
  const lower = word.toLowerCase();
  if (lower.length < 2 || isStopword(lower)) return null;
  // Bare numbers (order numbers, amounts, years) say nothing about the topic.
  if (/^\d+$/.test(lower)) return null;
  return stemmer(IRREGULAR[lower] ?? lower.replace(US_SPELLING, '$1iz$2').replace(/our$/, 'or'));
}

// Past forms the Porter stemmer leaves alone, mapped to the form it does stem.
const IRREGULAR: Record<string, string> = {
  sent: 'send',
  paid: 'pay',
  sold: 'sell',
  spoke: 'speak',
  spoken: 'speak',
  stolen: 'steal',
  stole: 'steal',
  lost: 'lose',
  gave: 'give',
  took: 'take',
  brought: 'bring',
  told: 'tell',
};
// British -ise spellings → American -ize, so "recognise" and "recognize" meet.
const US_SPELLING =
  /^(recogn|author|personal|organ|custom|real|apolog|minim|priorit|categor)is(e|ed|es|ing|ation|ations)$/;

/** Content terms of a text, in order, stemmed, without stopwords. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    const term = normalizeTerm(word);
    if (term) out.push(term);
  }
  return out;
}

/** Dice coefficient of two term sets (0..1). */
export function termOverlap(a: Iterable<string>, b: Iterable<string>): number {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size === 0 || setB.size === 0) return 0;
  let shared = 0;
  for (const term of setA) if (setB.has(term)) shared += 1;
  return (2 * shared) / (setA.size + setB.size);
}
