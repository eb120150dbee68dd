/**
 * Personal data a customer pasted into the chat, masked before the text reaches Slack or a third-party
 * language model. Pure: no I/O, clock or environment. Every pattern is bounded or unambiguous, so a
 * hostile message costs linear time rather than catastrophic backtracking.
 */

export const SENSITIVE_KINDS = [
  'card',
  'iban',
  'national_id',
  'passport',
  'password',
  'one_time_code',
  'email',
  'phone',
] as const;
export type SensitiveKind = (typeof SENSITIVE_KINDS)[number];
/** On unless an admin turns them off; email and phone are off unless turned on. */
export const DEFAULT_MASKED: readonly SensitiveKind[] = SENSITIVE_KINDS.filter(
  (k) => k !== 'email' && k !== 'phone',
);
export interface SensitiveMatch {
  kind: SensitiveKind;
  start: number;
  end: number;
  /** what replaces text.slice(start, end) */
  replacement: string;
}

type Span = Pick<SensitiveMatch, 'start' | 'end'>;

/** Every sensitive value of the given kinds in `text`, in order, non-overlapping (an earlier or longer match wins). */
export function findSensitive(text: string, kinds: readonly SensitiveKind[]): SensitiveMatch[] {
  if (typeof text !== 'string' || text === '') return [];
  const wanted = SENSITIVE_KINDS.filter((kind) => kinds.includes(kind));
  // Found once: phones must avoid cards even when cards are not masked.
  const cards = wanted.includes('card') || wanted.includes('phone') ? findCards(text) : [];
  return resolveOverlaps(wanted.flatMap((kind) => FINDERS[kind](text, cards)));
}

/** `text` with those values replaced, and which kinds were found (each once, in SENSITIVE_KINDS order). */
export function maskSensitive(
  text: string,
  kinds: readonly SensitiveKind[],
): { text: string; masked: SensitiveKind[] } {
  const matches = findSensitive(text, kinds);
  if (matches.length === 0) return { text, masked: [] };
  let out = '';
  let at = 0;
  for (const match of matches) {
    out += text.slice(at, match.start) + match.replacement;
    at = match.end;
  }
  const masked = SENSITIVE_KINDS.filter((kind) => matches.some((match) => match.kind === kind));
  return { text: out + text.slice(at), masked };
}

export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit : digit < 5 ? digit * 2 : digit * 2 - 9;
  }
  return sum % 10 === 0;
}

export function isValidIban(candidate: string): boolean {
  const iban = candidate.replaceAll(' ', '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  let remainder = 0;
  for (let i = 0; i < iban.length; i++) {
    // The country code and check digits move to the end; a letter counts as two digits, A = 10.
    const code = iban.charCodeAt((i + 4) % iban.length);
    const value = code < 65 ? code - 48 : code - 55;
    remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
  }
  return remainder === 1;
}

// An earlier start wins, then the longer match, then the kind listed first (so a card beats a phone).
function resolveOverlaps(candidates: SensitiveMatch[]): SensitiveMatch[] {
  const rank = (match: SensitiveMatch) => SENSITIVE_KINDS.indexOf(match.kind);
  const ordered = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end || rank(a) - rank(b));
  const kept: SensitiveMatch[] = [];
  let reached = 0;
  for (const match of ordered) {
    if (match.start < reached) continue;
    kept.push(match);
    reached = match.end;
  }
  return kept;
}

const spansOf = (text: string, pattern: RegExp): Span[] =>
  Array.from(text.matchAll(pattern), (m) => ({ start: m.index, end: m.index + m[0].length }));

/** Tokens join by one of `joiners`; `accept` sees the run's tokens without them. */
type RunRule = {
  joiners: string;
  minToken: number;
  min: number;
  max: number;
  accept: (compact: string) => boolean;
};

/**
 * Leftmost-longest runs of joined tokens whose total token length is within [min, max] and that the rule
 * accepts. Trying shorter runs lets a card followed by its CVV, or an IBAN followed by a number, still be
 * found; the length cap keeps the work per token constant.
 */
function tokenRuns(text: string, tokens: Span[], rule: RunRule, starts: (token: Span) => boolean): Span[] {
  const runs: Span[] = [];
  for (let i = 0; i < tokens.length;) {
    const last = starts(tokens[i]!) ? longestRun(text, tokens, i, rule) : -1;
    if (last < 0) i++;
    else {
      runs.push({ start: tokens[i]!.start, end: tokens[last]!.end });
      i = last + 1;
    }
  }
  return runs;
}

function longestRun(text: string, tokens: Span[], first: number, rule: RunRule): number {
  const candidates: { last: number; compact: string }[] = [];
  let compact = '';
  for (let j = first; j < tokens.length; j++) {
    const { start, end } = tokens[j]!;
    const joined =
      j === first || (start - tokens[j - 1]!.end === 1 && rule.joiners.includes(text.charAt(start - 1)));
    if (!joined || end - start < rule.minToken || compact.length + end - start > rule.max) break;
    compact += text.slice(start, end);
    if (compact.length >= rule.min) candidates.push({ last: j, compact });
  }
  return candidates.reverse().find((candidate) => rule.accept(candidate.compact))?.last ?? -1;
}

const digitsOf = (text: string, span: Span) => text.slice(span.start, span.end).replace(/\D/g, '');

function findCards(text: string): SensitiveMatch[] {
  // Card groups have 3 digits or more, which also keeps a long run of single digits cheap to scan.
  // Card networks' numbers start with 2 to 6 (Mastercard, Amex, Diners, JCB, Visa, Discover): an order
  // or tracking number starting otherwise stays visible even when it happens to pass Luhn. Groups are
  // joined by a space, a non-breaking space or a hyphen.
  const rule = {
    joiners: ' \u00a0-',
    minToken: 3,
    min: 13,
    max: 19,
    accept: (digits: string) => /^[2-6]/.test(digits) && passesLuhn(digits),
  };
  // A leading + marks a phone number, never a card.
  const starts = (token: Span) => text.charAt(token.start - 1) !== '+';
  return tokenRuns(text, spansOf(text, /\d+/g), rule, starts).map((run) => ({
    kind: 'card',
    ...run,
    replacement: `[card ending ${digitsOf(text, run).slice(-4)}]`,
  }));
}

function findIbans(text: string): SensitiveMatch[] {
  const rule = { joiners: ' ', minToken: 1, min: 15, max: 34, accept: isValidIban };
  const starts = (token: Span) => /^[A-Za-z]{2}\d\d/.test(text.slice(token.start, token.start + 4));
  return tokenRuns(text, spansOf(text, /[A-Za-z0-9]+/g), rule, starts).map((run) => ({
    kind: 'iban',
    ...run,
    replacement: `[IBAN ending ${text.slice(run.start, run.end).replaceAll(' ', '').slice(-4).toUpperCase()}]`,
  }));
}

/** Matches whose last capture group is the value; `keep` returns the part to mask or null to skip it. */
function valuesAfter(
  text: string,
  pattern: RegExp,
  kind: SensitiveKind,
  replacement: string,
  keep: (value: string, match: RegExpExecArray) => string | null = (value) => value,
): SensitiveMatch[] {
  const found: SensitiveMatch[] = [];
  for (const match of text.matchAll(pattern)) {
    const value = match[match.length - 1] ?? '';
    const kept = keep(value, match);
    if (!kept) continue;
    const start = match.index + match[0].length - value.length;
    found.push({ kind, start, end: start + kept.length, replacement });
  }
  return found;
}

// US: area not 000, 666 or 9xx, group not 00, serial not 0000. UK: the prefixes HMRC never issues.
const NATIONAL_ID = new RegExp(
  String.raw`((?<!\d-?)(?!000|666|9)\d{3}-(?!00)\d\d-(?!0000)\d{4}(?!-?\d)|(?<![A-Za-z0-9])(?!BG|GB|NK|KN|TN|NT|ZZ)` +
    String.raw`[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d\d ?\d\d ?\d\d ?[A-D](?![A-Za-z0-9]))`,
  'gi',
);

// "is" must be a whole word, so "my password isn't working" is not read as a password.
const CONNECTOR = String.raw`(?:\s{0,3}(?:is(?![\w'’])|[:=]))`;
const PASSPORT = new RegExp(
  String.raw`\bpassport(?:\s{0,3}(?:(?:number|num|no|is)(?![\w'’])\.?|[#:=])){0,4}\s{0,3}` +
    String.raw`(?<![A-Za-z0-9])((?=[A-Za-z]{0,8}\d)[A-Za-z0-9]{6,9})(?![A-Za-z0-9])`,
  'gi',
);
// A one-time password is a code, left to the one_time_code finder.
// "my password is now hunter2": a word of time or setting before the value is skipped, not masked.
const PASSWORD = new RegExp(
  String.raw`(?<!one[- ]time )\b(?:password|passcode|pwd)${CONNECTOR}{1,2}\s{0,3}` +
    String.raw`(?:(?:now|currently|just|still|set\s{1,3}to)\s{1,3})?(\S+)`,
  'gi',
);
// Words that follow "password is" in complaints about a password, not in disclosures of one.
const NOT_PASSWORDS = new Set(
  'not wrong incorrect invalid expired too still correct the a my locked reset same different'.split(' '),
);
// A card's security code (CVV, CVC): 3 or 4 digits, masked with the card.
const CARD_SECURITY_CODE = new RegExp(
  String.raw`\b(?:cvv2?|cvc2?|cvn|csc|card verification (?:code|value)|security code)(?![\w'’])` +
    String.raw`${CONNECTOR}{0,2}\s{0,3}(?<![A-Za-z0-9])(\d{3,4})(?![A-Za-z0-9])`,
  'gi',
);
const OTP = new RegExp(
  String.raw`\b(one[- ]time (?:code|pass(?:word|code))|(?:verification|security) code|code|otp|pin(?:\s{1,3}(?:number|no|code))?)(?![\w'’])` +
    String.raw`${CONNECTOR}{0,2}\s{0,3}(?<![A-Za-z0-9])(\d{4,8})(?![A-Za-z0-9])`,
  'gi',
);
// "code" preceded by one of these names a public number (zip code, error code), not a secret one.
const PUBLIC_CODES = new Set(
  (
    'zip postal post area country dial discount promo promotional coupon voucher gift referral error status ' +
    'order tracking product sort swift bic tax dress qr bar exit response reference booking'
  ).split(' '),
);

function keepPassword(value: string): string | null {
  if (value.length <= 20 && NOT_PASSWORDS.has(value.replace(/[.,!?]{1,20}$/, '').toLowerCase())) return null;
  // "hunter2!" keeps its "!": only a final full stop or comma is read as the sentence's own.
  return value.length > 1 && (value.endsWith('.') || value.endsWith(',')) ? value.slice(0, -1) : value;
}

function keepCode(value: string, match: RegExpExecArray): string | null {
  if (match[1]!.toLowerCase() !== 'code') return value;
  return PUBLIC_CODES.has(wordBefore(match)) ? null : value;
}

function wordBefore(match: RegExpExecArray): string {
  const preceding = match.input.slice(Math.max(0, match.index - 32), match.index);
  return /([A-Za-z]+)[\s-]{0,3}$/.exec(preceding)?.[1]?.toLowerCase() ?? '';
}

const EMAIL = /(?<![\w.%+-])([\w.%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24})(?![A-Za-z0-9-])/g;

const FINDERS: Record<SensitiveKind, (text: string, cards: SensitiveMatch[]) => SensitiveMatch[]> = {
  card: (text, cards) => [
    ...cards,
    ...valuesAfter(text, CARD_SECURITY_CODE, 'card', '[card security code hidden]'),
  ],
  iban: findIbans,
  national_id: (text) => valuesAfter(text, NATIONAL_ID, 'national_id', '[national ID hidden]'),
  passport: (text) => valuesAfter(text, PASSPORT, 'passport', '[passport number hidden]'),
  password: (text) => valuesAfter(text, PASSWORD, 'password', '[password hidden]', keepPassword),
  one_time_code: (text) => valuesAfter(text, OTP, 'one_time_code', '[code hidden]', keepCode),
  email: (text) => valuesAfter(text, EMAIL, 'email', '[email hidden]'),
  phone: findPhones,
};

// Shapes a phone number never has: dates, decimals, versions and IP addresses, SSNs.
const NOT_PHONE =
  /^(?:\d{4}[-.]\d\d?[-.]\d\d?|\d\d?[-.]\d\d?[-.]\d{2,4}|\d+\.\d+|\d{1,3}(?:\.\d{1,3}){2,}|\d{3}-\d\d-\d{4})$/;

/** Groups like `+44`, `(415)`, `555-2671`; a phone number is a run of them joined by single spaces. */
function findPhones(text: string, cards: SensitiveMatch[]): SensitiveMatch[] {
  const runs: { span: Span; digits: number }[] = [];
  let open = false;
  for (const group of spansOf(text, /[+(]?\d(?:[\d().-]*[\d)])?/g)) {
    const digits = digitsOf(text, group).length;
    const last = runs.at(-1);
    if (!isPhoneGroup(text, group, digits)) open = false;
    else if (open && last && continuesPhone(text, last.span, group)) {
      last.span.end = group.end;
      last.digits += digits;
    } else {
      runs.push({ span: group, digits });
      open = true;
    }
  }
  let card = 0;
  // Both lists are in text order, so one pass finds the phones that share digits with a card.
  const clear = (span: Span) => {
    while (card < cards.length && cards[card]!.end <= span.start) card++;
    return card === cards.length || cards[card]!.start >= span.end;
  };
  return runs
    .filter(({ span, digits }) => digits >= 8 && digits <= 15 && clear(span))
    .map(({ span }) => ({ kind: 'phone', ...span, replacement: '[phone hidden]' }));
}

// A "+" starts a new number, so two numbers in a row are not read as one.
const continuesPhone = (text: string, run: Span, group: Span) =>
  group.start - run.end === 1 && text.charAt(run.end) === ' ' && text.charAt(group.start) !== '+';

function isPhoneGroup(text: string, group: Span, digits: number): boolean {
  const separated = digits < group.end - group.start;
  if (digits > 15 || (separated && NOT_PHONE.test(text.slice(group.start, group.end)))) return false;
  const before = glued(text.charAt(group.start - 1), text.charAt(group.start - 2), '$€£¥');
  return !before && !glued(text.charAt(group.end), text.charAt(group.end + 1), '%');
}

// Touching a word, a currency sign, or a digit across ":" "," "/" means a time, amount, date or code.
function glued(next: string, beyond: string, symbols: string): boolean {
  const word = /\w/.test(next) || (next !== '' && symbols.includes(next));
  return word || (/[:,/]/.test(next) && /\d/.test(beyond));
}
