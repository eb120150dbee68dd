import { contentTerms } from '../lib/text-terms.js';

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
  /**
   * The matched words say nothing the canonical words don't (a product noun, a colour): search
   * for the canonical words only, so "lamp" weighs like "item" instead of like an unknown word.
   */
  replace?: boolean;
  /** Only applies when the whole message also matches this (the context that makes it relevant). */
  when?: RegExp;
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
  {
    pattern: /\b(send|sending|ship|post|mail|take|bring)(ing)? (\w+ ){0,3}back\b|\bsend back\b/g,
    adds: 'return',
  },
  // What things cost: "what do you charge for delivery", "is shipping free if I spend over $50".
  {
    pattern: /\b(what|how much) do (you|they) charge\b|\bcharge for (shipping|delivery)\b/g,
    adds: 'rates cost',
  },
  { pattern: /\b(spend|spending|orders?) (over|above|more than)\b/g, adds: 'free threshold over' },
  { pattern: /\b(dispatch|dispatched|send out|sent out|ships out|go out)\b/g, adds: 'ship' },
  { pattern: /\bsame[- ]day\b/g, adds: 'same day ship' },
  { pattern: /\bweekends?\b/g, adds: 'weekend saturday sunday' },
  { pattern: /\b(en|in)quir(y|ies)\b|\bget in touch\b|\breach (you|your team)\b/g, adds: 'contact' },
  {
    pattern:
      /\b(are|is) (you|support|customer service|the (support|chat|phone)( line| team)?|your (team|store|support)) (open|available|closed|around)\b/g,
    adds: 'contact hours',
  },
  {
    pattern:
      /\b(where'?s|where is|status of) (my|the) (package|parcel|delivery|shipment|stuff|order|item)s?\b/g,
    adds: 'track order',
  },
  { pattern: /\b(update|edit|modify|amend|correct)\b/g, adds: 'change' },
  {
    pattern:
      /\b(wrong|incorrect|old|mistyped|misspelled) (shipping |delivery |street )?address\b|\btypo in (the |my )?address\b/g,
    adds: 'change address shipping',
  },
  {
    pattern: /\b(sent|send|received|got|delivered|shipped) (me |us )?(the |a |an )?(wrong|incorrect)\b/g,
    adds: 'wrong item',
  },
  {
    pattern:
      /\b(amex|american express|visa|mastercard|maestro|discover card|apple pay|google pay|venmo|cheques?)\b/g,
    adds: 'payment methods accept',
  },
  { pattern: /\bgift ?cards?\b|\bgiftcards?\b/g, adds: 'gift card' },
  {
    pattern:
      /\b(germany|france|spain|italy|ireland|netherlands|belgium|sweden|denmark|finland|poland|portugal|austria|uk|england|scotland|wales|britain|canada|mexico|australia|new zealand|japan|norway|switzerland|europe|eu|abroad)\b/g,
    adds: 'international country',
    when: /\b(ship|deliver|send|sent|post|mail|order|arrive|dut(y|ies)|customs|tax|import|return)/,
  },
  {
    pattern: /\binternationall?y\b|\boutside (of )?the (us|usa|u\.s\.|states|country)\b/g,
    adds: 'international',
  },
  // Colours and everyday product nouns: what the item is rarely changes which article answers.
  {
    pattern:
      /\b(red|blue|green|grey|gray|black|white|pink|yellow|purple|orange|brown|beige|navy|cream|teal)\b/g,
    adds: 'color',
    replace: true,
  },
  {
    pattern:
      /\b(lamp|rug|throw|blanket|sofa|couch|chair|table|desk|vase|mug|cup|plate|bowl|glass|jar|shirt|sweater|jacket|dress|shoes?|boots?|towel|sheet|duvet|pillow|cushion|curtain|mirror|frame|basket|candle holder|bag|thing|stuff|gift|present)s?\b/g,
    adds: 'item',
    replace: true,
  },
];

// Identifiers say nothing about the topic and would look like unknown words.
const IDENTIFIERS =
  /#?\bnw-?\d+\b|\b[\w.+-]+@[\w-]+\.[\w.-]+\b|https?:\/\/\S+|[$€£]\s?\d[\d,.]*|\+?\d[\d\s().-]{5,}\d/gi;

/**
 * `correct` maps a word the knowledge base never uses to a close word it does use ("shiping" →
 * "shipping"), or returns undefined.
 */
export function analyzeQuery(
  text: string,
  correct?: (word: string) => string | undefined,
  expansions: Readonly<Record<string, readonly string[]>> = {},
): AnalyzedQuery {
  let rest = text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(IDENTIFIERS, ' ');
  // Fix typos first, so that "pakage" still meets the synonyms of "package". Same length or one
  // letter off keeps match positions roughly in place.
  // Whole words only: the letters of "iphone15" or a code like "abcd1234" are not a misspelt word.
  if (correct)
    rest = rest.replace(/(?<![\p{L}\p{N}])\p{L}{4,}(?![\p{L}\p{N}])/gu, (word) => correct(word) ?? word);
  const found: { index: number; group: QueryGroup }[] = [];
  for (const rule of SYNONYMS) {
    if (rule.when && !rule.when.test(rest)) continue;
    rest = rest.replace(rule.pattern, (match: string, ...args: unknown[]) => {
      const index = args.find((arg) => typeof arg === 'number') ?? 0;
      const terms = unique([...(rule.replace ? [] : contentTerms(match)), ...contentTerms(rule.adds)]);
      if (terms.length > 0) found.push({ index, group: { terms, synonym: true } });
      return ' '.repeat(match.length);
    });
  }
  // Remaining plain words keep their position so that the cap keeps the start of the message.
  const wordRe = /[^\s]+/g;
  for (let match = wordRe.exec(rest); match; match = wordRe.exec(rest)) {
    for (const term of contentTerms(match[0])) {
      // A word customers use for what the articles call otherwise ("bill" for invoice): learned.
      const also = Object.hasOwn(expansions, term) ? (expansions[term] ?? []) : [];
      found.push({
        index: match.index,
        group:
          also.length > 0
            ? { terms: unique([term, ...also]), synonym: true }
            : { terms: [term], synonym: false },
      });
    }
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
