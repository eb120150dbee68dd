import { contentTerms } from './text.js';

/**
 * Turns a customer message into search terms: identifiers are removed, support-language synonyms are
 * expanded, and the result is capped so that a huge message cannot make the search slow.
 */

/** At most this many term groups are searched, in order of appearance. */
export const MAX_QUERY_TERMS = 32;

/**
 * A group is satisfied when any of its terms matches; a plain word is a group of one, a synonym
 * phrase is a group of its own words plus the canonical words it stands for.
 */
export interface QueryGroup {
  terms: string[];
  synonym: boolean;
}

export interface AnalyzedQuery {
  groups: QueryGroup[];
  /** Every distinct term to search for. */
  terms: string[];
}

interface SynonymRule {
  pattern: RegExp;
  adds: string;
}

// Customer phrasing → the words the help center uses. Applied to lower-cased text.
const SYNONYMS: SynonymRule[] = [
  { pattern: /\bmoney back\b|\breimburs\w*|\brepay\w*/g, adds: 'refund' },
  { pattern: /\b(parcel|package|shipment)s?\b/g, adds: 'order shipping delivery' },
  { pattern: /\b(pwd|passcode|passwd|pw|pass ?word)\b/g, adds: 'password' },
  {
    pattern:
      /\b(charged|billed|paid) (me )?(twice|two times|double)\b|\bdouble[- ]?(charged?|billed|payment)\b|\bduplicate (charge|payment)\b/g,
    adds: 'charged twice duplicate',
  },
  {
    pattern:
      /\bsomeone (else )?(has )?(logged|signed|got|is|was|been) ?(in|into|using|accessing)\b|\bunauthori[sz]ed (access|log ?in|sign-?in)\b/g,
    adds: 'hacked account security',
  },
  { pattern: /\b(sign|log|logg?ing|logged|signed) ?(in|on|into)\b|\blogin\b/g, adds: 'sign in' },
  {
    pattern:
      /\b(where is|never (got|received)|haven'?t (got|received)|didn'?t (get|receive)|still no) (my |the )?refund\b/g,
    adds: 'refund late',
  },
  { pattern: /\b(sign|log) ?(up)\b|\bregister\b|\bnew account\b/g, adds: 'create account' },
  { pattern: /\b(where'?s|where is|status of) (my|the) (order|stuff|item)s?\b/g, adds: 'track order' },
  {
    pattern: /\b(hasn'?t|has not|never|didn'?t|did not|not yet) (arrived|came|come|shown up)\b/g,
    adds: 'order arrived',
  },
  {
    pattern: /\bhow much (is|are|does|do|for)\b|\bwhat does (it|shipping|delivery) cost\b/g,
    adds: 'rates cost',
  },
  { pattern: /\bbroken|smashed|cracked|dented|shattered\b/g, adds: 'damaged' },
  { pattern: /\b(my|credit|debit|bank) (card|statement)\b/g, adds: 'credit debit bank' },
  { pattern: /\b(coupon|voucher|discount code)s?\b/g, adds: 'promo code' },
  { pattern: /\b(receipt|bill)s?\b/g, adds: 'invoice' },
  { pattern: /\b(2fa|mfa|otp|authenticator|verification code)\b/g, adds: 'two-factor authentication' },
  { pattern: /\b(hacked|compromised|hijacked)\b/g, adds: 'hacked security' },
  { pattern: /\bunsubscribe\b/g, adds: 'cancel membership' },
  { pattern: /\b(subscription|plus member(ship)?)\b/g, adds: 'northwind plus membership' },
  { pattern: /\b(swap|switch) (it |this )?for\b|\bdifferent (size|colou?r)\b/g, adds: 'exchange' },
  {
    pattern: /\b(phone number|call you|telephone|opening hours|open hours|business hours)\b/g,
    adds: 'contact hours',
  },
  {
    pattern: /\b(guarantee|guaranty|stopped working|doesn'?t work|faulty|defect(ive)?)\b/g,
    adds: 'warranty',
  },
  { pattern: /\b(cheaper|lower price|price drop)\b/g, adds: 'price match' },
  { pattern: /\b(clean|wash)(ing)?\b/g, adds: 'care' },
  {
    pattern: /\b(abroad|overseas|outside the (us|usa|united states)|customs|import dut(y|ies))\b/g,
    adds: 'international',
  },
  { pattern: /\b(fast(er|est)?|quick(er|est)?|rush|overnight|tomorrow)\b/g, adds: 'express next-day' },
  {
    pattern: /\b(personal )?data (request|copy|download|export)\b|\b(copy|download|export) (of )?my data\b/g,
    adds: 'data export',
  },
  { pattern: /\b(sold|selling|sells)\b/g, adds: 'sell' },
  { pattern: /\bclose (my )?account\b|\bremove (my )?account\b/g, adds: 'delete account' },
  { pattern: /\b(e-?mail address|my e-?mail)\b/g, adds: 'email' },
  { pattern: /\bsend (it|them|this|items?) back\b/g, adds: 'return' },
];

// Identifiers say nothing about the topic and would look like unknown words.
const IDENTIFIERS =
  /#?\bnw-?\d+\b|\b[\w.+-]+@[\w-]+\.[\w.-]+\b|https?:\/\/\S+|[$€£]\s?\d[\d,.]*|\+?\d[\d\s().-]{5,}\d/gi;

export function analyzeQuery(text: string): AnalyzedQuery {
  let rest = text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(IDENTIFIERS, ' ');
  const found: { index: number; group: QueryGroup }[] = [];
  for (const rule of SYNONYMS) {
    rest = rest.replace(rule.pattern, (match: string, ...args: unknown[]) => {
      const index = args.find((arg) => typeof arg === 'number') ?? 0;
      const terms = unique([...contentTerms(match), ...contentTerms(rule.adds)]);
      if (terms.length > 0) found.push({ index, group: { terms, synonym: true } });
      return ' '.repeat(match.length);
    });
  }
  // Remaining plain words keep their position so that the cap keeps the start of the message.
  const wordRe = /[^\s]+/g;
  for (let match = wordRe.exec(rest); match; match = wordRe.exec(rest)) {
    for (const term of contentTerms(match[0]))
      found.push({ index: match.index, group: { terms: [term], synonym: false } });
  }
  found.sort((a, b) => a.index - b.index);

  const groups: QueryGroup[] = [];
  const seen = new Set<string>();
  for (const { group } of found) {
    const key = group.terms.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    groups.push(group);
    if (groups.length >= MAX_QUERY_TERMS) break;
  }
  return { groups, terms: unique(groups.flatMap((group) => group.terms)) };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
