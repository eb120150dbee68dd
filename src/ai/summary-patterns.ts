import { truncate } from './text.js';

/**
 * The fixed patterns the agent summary matches customer and bot text with. Every one is linear in
 * its input: no nested quantifiers, and no two adjacent quantifiers that can match the same
 * characters. The greeting pattern used to end `[\s!.,]*(there|team)?[\s!.,]*$`: two runs of the
 * same class side by side, so "hi" followed by 4,000 "!" and one letter backtracked quadratically
 * (23-120 ms a line). Inputs are capped as well, so a future slip stays cheap.
 */

/** Customer and bot lines are analysed up to the web chat's message limit. */
export const MAX_ANALYSED_CHARS = 4_000;
/** "good afternoon there!" is 21 characters; a longer line is not a greeting on its own. */
const MAX_GREETING_CHARS = 100;
/** A quotation is cut to 200 characters; the greeting stripped from its start is short. */
const MAX_QUOTED_CHARS = 1_000;

const GREETING_OR_THANKS =
  /^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|thanks?(?: you)?|thx|ok(?:ay)?|yes|no|cheers)\b[\s!.,]*(?:(?:there|team)[\s!.,]*)?$/i;
const LEADING_GREETING = /^(?:hi|hello|hey)(?: there)?[\s!,.]+/i;
// Up to the first full stop: more may follow the citation (the offer of a person). Linear: the lazy
// run stops at the first ". " or the end, so once the prefix is found the match always succeeds.
const CITATION = /You can read more in (.+?)(?:\.(?=\s|$)|$)/;
const MEMBERSHIP = /\b(?:plus|membership|subscription)\b/i;

/** "hi", "thanks team!", "good morning there": a line that asks nothing. */
export function isGreetingOrThanks(text: string): boolean {
  return text.length <= MAX_GREETING_CHARS && GREETING_OR_THANKS.test(text);
}

/** A customer line as a short quotation: leading greeting dropped, double quotes made single. */
export function quoteCustomer(text: string): string {
  return truncate(text.slice(0, MAX_QUOTED_CHARS).replace(LEADING_GREETING, '').replace(/"/g, "'"), 200);
}

/** The article a bot answer cites ("You can read more in Return policy."), if any. */
export function citedArticle(botText: string): string | undefined {
  return CITATION.exec(botText.slice(0, MAX_ANALYSED_CHARS))?.[1];
}

export function mentionsMembership(text: string): boolean {
  return MEMBERSHIP.test(text.slice(0, MAX_ANALYSED_CHARS));
}
