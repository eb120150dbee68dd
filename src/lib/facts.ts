import { cleanText } from './clean-text.js';

/**
 * Identifying facts in customer text, found by fixed patterns only. Pure; used for the agent's
 * summary and for the desk metrics' "customer had to repeat themselves" figure.
 */

/** At most ten of each, in order of first mention. (The same shape as the summary's ConversationFacts.) */
export interface ExtractedFacts {
  orderNumbers: string[];
  emails: string[];
  phoneNumbers: string[];
  amounts: string[];
}

// Every pattern is linear in its input: an unbounded run next to another run of the same characters
// (\s*…\s*, [\d\s]{6,}\d) backtracks quadratically, and visitors choose the input (issue 11 measured
// 50–150 ms for one 4,000-character line). Runs are bounded, and an email only starts where a run does.
const ORDER_NW = /#?\bNW[-\s]?(\d{4,10})\b/gi;
const ORDER_BARE = /\border\s{0,3}(?:number|no\.?|num|#)?\s{0,3}[:#]?\s{0,3}(\d{5,10})\b/gi;
const EMAIL = /(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b/g;
const AMOUNT =
  /[$€£]\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?\b|\b\d+(?:\.\d{1,2})?\s?(?:usd|eur|gbp|dollars?|euros?|pounds?|bucks)\b/gi;
const DATE = /\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g;
const PHONE = /(?:\+|\b)\(?\d[\d\s().-]{6,20}\d\b/g;

/** Order numbers, emails, phone numbers and money amounts mentioned in the given texts. */
export function extractFacts(texts: readonly string[]): ExtractedFacts {
  const facts = {
    orderNumbers: new Set<string>(),
    emails: new Set<string>(),
    phoneNumbers: new Set<string>(),
    amounts: new Set<string>(),
  };
  for (const raw of texts) {
    const text = cleanText(raw, 4_000);
    for (const match of text.matchAll(ORDER_NW)) facts.orderNumbers.add(`#NW-${match[1]}`);
    for (const match of text.matchAll(ORDER_BARE)) facts.orderNumbers.add(`#${match[1]}`);
    for (const match of text.matchAll(EMAIL)) facts.emails.add(match[0].toLowerCase());
    for (const match of text.matchAll(AMOUNT))
      facts.amounts.add(match[0].replace(/\s+/g, ' ').replace(/^([$€£]) /, '$1'));
    const rest = text
      .replace(ORDER_NW, ' ')
      .replace(ORDER_BARE, ' ')
      .replace(EMAIL, ' ')
      .replace(AMOUNT, ' ')
      .replace(DATE, ' ');
    for (const match of rest.matchAll(PHONE)) {
      const digits = match[0].replace(/\D/g, '');
      const formatted = /[\s().-]/.test(match[0].trim()) || match[0].startsWith('+');
      if (digits.length >= 7 && digits.length <= 15 && (formatted || digits.length >= 10)) {
        facts.phoneNumbers.add(match[0].trim());
      }
    }
  }
  return {
    orderNumbers: [...facts.orderNumbers].slice(0, 10),
    emails: [...facts.emails].slice(0, 10),
    phoneNumbers: [...facts.phoneNumbers].slice(0, 10),
    amounts: [...facts.amounts].slice(0, 10),
  };
}
