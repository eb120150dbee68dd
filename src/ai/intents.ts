import type { Intent, TranscriptLine } from '../conversation/assistant.js';
import { cleanText } from '../lib/clean-text.js';
import { contentTerms, termOverlap } from '../lib/text-terms.js';

/**
 * Rule-based intent detection for one customer message (with the conversation so far for `repeat`).
 *
 * Decisions on ambiguous phrasings:
 * - "is this a human?" / "am I talking to a bot?" is a question about the assistant, not a request
 *   for a person: no `human` intent (the assistant answers it; see `asksIfBot`). Asking for a person
 *   after the answer ("then get me one") is detected as usual.
 * - "I don't need a human, just tell me X" → `not_human`, and `human` is suppressed even though the
 *   message names a person. "I don't want a bot, I want a human" → `human` (the negation is about the bot).
 * - "human resources", "human error" are not requests for a person.
 * - "thanks for nothing" / "no thanks" are not `thanks`.
 */

const PERSON =
  '(?:a |an |the |any |some |one of your |your )?(?:real |live |actual |proper |human |fellow |customer service |support )?(?:human(?:s| being| agent)?|person|people|agent|someone|somebody|some one|anybody|representative|rep|operator|staff(?: member)?|member of (?:staff|the team|your team|the support team)|employee|manager|supervisor|team member|customer service|support team|real one)';

const HUMAN_PATTERNS: RegExp[] = [
  new RegExp(
    `\\b(talk|speak|chat|connect|transfer|put|pass|escalate|forward|get|deal|communicate)\\b[^.?!]{0,25}\\b(to|with|through to|me to)\\s+${PERSON}\\b`,
  ),
  // "could you get a real person to look at this", "get someone from support to help me"
  new RegExp(
    `\\b(get|find|bring|send|have)\\s+(?:me\\s+)?${PERSON}\\b[^.?!]{0,25}\\bto (help|look|check|call|contact|review|sort|deal|handle|assist)\\b`,
  ),
  // "can a member of staff help me", "could someone look into this"
  new RegExp(
    `\\b(can|could|would|will)\\s+${PERSON}\\s+(?:please\\s+)?(help|assist|look into|check|call|contact|get back to|review|handle)\\b`,
  ),
  new RegExp(
    `\\b(i want|i need|i'd like|i would like|get me|give me|can i have|can i get|could i get|may i have|find me|bring me)(?:\\s+(?:to\\s+)?(?:talk|speak|chat)\\s+(?:to|with))?\\s+${PERSON}\\b`,
  ),
  new RegExp(
    `^(?:(?:hi|hello|hey|ok|okay|please|pls|just)[\\s,.!]+)*${PERSON}(?:\\s+(?:please|pls|now|asap|needed))*[\\s.!?]*$`,
  ),
  new RegExp(
    `\\b(is there|are there|is anyone|are any)\\s+${PERSON}\\b[^.?!]{0,20}\\b(i can|to) (talk|speak|chat)`,
  ),
  new RegExp(`\\b${PERSON}\\b\\s+(call|email|phone|contact|text) me\\b`),
  /\b(live|real[- ]time) (chat|support|help)\b(?! hours)/,
  /\b(is there|are there) (a |an |any )?(real |live |actual )?(human|person|people|agent|one)s? (here|around|available|working|online|there)\b/,
  /\bescalate (this|it|my (case|ticket|issue))\b/,
  /\b(stop|no more) (talking to |with )?(the |this |a )?(bot|robot|machine|ai)\b/,
  /\b(i'?d|i would) (rather|prefer( to)?) (talk|speak|chat|deal|deal with|have|get)\b[^.?!]{0,20}\b(human|person|people|agent|someone|somebody)\b/,
];

/** Rejecting the bot ("no bot. human.", "not a bot, a person") plus any word for a person. */
const BOT_REJECTED =
  /\b(no|not|stop|enough|done with|hate) (the |this |a |your |with )?(bot|robot|machine|ai|chatbot)s?\b/;
const PERSON_WORD = /\b(human|person|people|agent|representative|operator|staff)s?\b/;

/** "... no wait, never mind": the customer withdraws what came before. */
const RETRACTION = /\b(never ?mind|nevermind|scratch that|forget (it|that|i asked)|ignore that|no wait)\b/g;

const NOT_PERSON_CONTEXT =
  /\bhuman (resources|error|rights|nature|body|hair|readable)\b|\b(travel|shipping|real estate) agent\b/g;

const NOT_HUMAN =
  /\b(don'?t|do not|doesn'?t|no need (for|to)|not|never|without)\s+(really\s+)?(need|want|require|asking for|looking for)?\s*(to\s+(talk|speak|chat)\s+(to|with)\s+)?(a |an |any |the )?(real |live )?(human|person|agent|representative|operator|someone|somebody|staff)\b/;

const BOT_QUESTION =
  /\b(is this|are you|am i (talking|speaking|chatting) (to|with))\s+(a |an )?(real |actual )?(human|person|bot|robot|machine|ai|computer|real person)\b|\bare you real\b/;

const RULES: [Exclude<Intent, 'human' | 'not_human' | 'repeat' | 'thanks'>, RegExp][] = [
  [
    'billing_dispute',
    /\bcharge ?backs?\b|\bdisput(e|ed|ing)\b|\b(charged|billed|debited) (me )?(twice|two times|double|again|two)\b|\bdouble[- ]?(charged?|billed|payment)\b|\bduplicate (charge|payment|transaction)s?\b|\bunauthori[sz]ed (charge|transaction|payment|debit)s?\b|\bfraudulent (charge|transaction|payment)s?\b|\bcharges? (that )?i (didn'?t|did not|never) (make|authori[sz]e|recogni[sz]e)\b|\b(didn'?t|did not|never) authori[sz]e\b|\b(charge|payment|transaction|debit)s?\b[^.?!]{0,40}\bi (don'?t|do not|didn'?t|did not|can'?t|cannot) (recogni[sz]e|remember making)\b|\b(two|2|three|multiple|duplicate|double) (separate |identical |different )?(charges|debits|transactions)\b|\b(two|2|three|multiple|duplicate) (separate |identical )?payments (for|on) (one|the same|a single|my)\b|\b(call|contact|report (this |you |it )?to) my (bank|credit card company|card issuer)\b/,
  ],
  [
    'refund',
    /\brefund(s|ed|ing)?\b|\bmoney back\b|\breimburs\w*|\b(return|give me|send me|want) (back )?my money\b|\bcredit (it )?back\b/,
  ],
  [
    'cancellation',
    /\bcancel+(ing|ed|ation|ations|s)?\b|\bunsubscribe\b|\b(end|stop|terminate|close) (my |the )?(subscription|membership|plus|plan|order)\b/,
  ],
  [
    'legal',
    /\b(lawyers?|attorneys?|solicitors?|lawsuits?|litigation)\b|\blegal (action|steps|team|department|proceedings|advice)\b|\b(i'?ll|i will|going to|gonna|will) (sue|take (you|this|it) to court)\b|\bsu(e|ing) (you|northwind|your company|them)\b|\b(small claims|take (you|this|it) to court|in court)\b|\bconsumer (protection|rights|ombudsman)\b|\battorney general\b|\b(gdpr|data protection|privacy) (complaint|violation|breach)\b|\b(report(ing|ed)?|complain(t|ing)?) (you |this |it )?to (the )?(ftc|bbb|ico|data protection|regulator|authorit)/,
  ],
  [
    'account_security',
    /\bhack(ed|er|ers|ing)?\b|\bcompromised\b|\b(someone|somebody|some one|a stranger) (else )?(has |is |was |just )?(logged|signed|got|is|was|been|changed|accessed|using|accessing|into)\s?(in|into|using|accessing|changed|my)\b|\b(password|email|e-mail|login|account|address|details)\b[^.?!]{0,50}\b(it )?(wasn'?t|was not|not) me\b|\b(stolen|steal(ing)?|took over) (my )?(account|card|identity|password|credentials|login)\b|\b(account|card|identity|password|credentials) (was |has been |got )?stolen\b|\bidentity theft\b|\bphishing\b|\bunauthori[sz]ed (access|log ?ins?|sign-?ins?|orders?)\b|\b(orders?|purchases?)\b[^.?!]{0,30}\bi (didn'?t|did not|never) (place|make|order|made|placed)\b|\b(changed|reset) my (password|email)( address)? without\b|\bsuspicious (login|sign-?in|activity)\b/,
  ],
  [
    'complaint',
    /\bcomplain(t|ts|ing)?\b|\bunacceptable\b|\b(terrible|awful|horrible|poor|bad|worst|appalling) (service|experience|support|company|customer service)\b|\bworst\b|\bdisappoint(ed|ing)\b|\bnot (happy|satisfied|pleased) with\b|\bdisgust(ed|ing)\b|\bnever (order|shop|buy)(ing)? (from|with|here|again)\b|\b(speak|talk) to (a|the|your) (manager|supervisor)\b/,
  ],
  [
    'frustrated',
    /\bridiculous\b|\bthanks? for nothing\b|\b(this is|what) a joke\b|\buseless\b|\bpointless\b|\bwaste of (my )?time\b|\b(i'?ve|i have) been (trying|waiting)\b|\b(waiting|trying|been|on hold|chasing)[^.?!]{0,20}\bfor (an|one|two|three|\d+|over an?|more than an?) (hour|hours|days|weeks)\b|\bfed up\b|\bsick (and tired )?of\b|\bfrustrat\w*|\bannoy(ed|ing)\b|\bnot (helpful|helping)\b|\b(you'?re|you are|this is|that'?s) not help(ful|ing)\b|\bdoesn'?t help\b|\bstupid\b|\bseriously\b|\bwtf\b|\bhow many times\b|\bunbelievable\b|\bstill (not|no|waiting|haven'?t|nothing)\b/,
  ],
];

const THANKS =
  /\b(thanks?|thank you|thx|ty|tysm|cheers|much appreciated|appreciate (it|that|your help))\b|\bthat (solved|fixed|answered|helped|worked|sorted)\b|\b(problem|issue) (solved|fixed|sorted)\b|\b(perfect|great|awesome|brilliant),? (that'?s|this is) (it|what i needed)\b|\bthat'?s (all|everything)( i needed)?\b|\b(bye|goodbye|good bye)\b|^(ok(ay)?,? )?got it\b|\b(that|this) (is|was) (helpful|useful)\b/;
// "no thanks" declines; it is still a polite closing when the customer says they are done.
const NOT_THANKS =
  /\bthanks? for nothing\b|\bno,? thanks?\b(?![^.?!]{0,15}\b(that'?s (all|everything)|i'?m (good|done|fine)|bye)\b)|\bno thank you\b(?![^.?!]{0,15}\b(that'?s (all|everything)|i'?m (good|done|fine)|bye)\b)|\b(thanks|thank you),? but\b/;

const REPEAT_PHRASES =
  /\b(that'?s|this is|it'?s) not what i (asked|meant|said)\b|\bnot what i asked\b|\b(no|nope),? i asked\b|\bi asked (you )?(how|what|when|where|why|whether|if|about|for)\b[^.?!]{0,60}\b(not|instead)\b|\b(that|this|it|you) (didn'?t|did not|doesn'?t|does not|still didn'?t) answer (my|the) question\b|\bnot (an )?answer to my question\b|\byou (already|just) (said|told me|sent)( me)? (that|this)\b|\byou said that already\b|\bi (already|just) (told|asked|said)\b|\bas i (said|mentioned|asked)\b|\bi'?ll ask again\b|\bi repeat\b|\bagain:\s|\byou keep (saying|sending|repeating)\b|\bsame (answer|thing|reply|link) again\b/;

export interface IntentInput {
  message: string;
  history?: readonly TranscriptLine[];
}

export function detectIntents({ message, history = [] }: IntentInput): Intent[] {
  const text = normalize(message);
  if (!text) return [];
  const found = new Set<Intent>();

  if (NOT_HUMAN.test(text)) found.add('not_human');
  // Look for a request for a person only outside "I don't need a human" and "are you a bot?" spans,
  // and only after the last "never mind" (the customer withdrew what came before).
  const lastRetraction = [...text.matchAll(RETRACTION)].at(-1);
  const withdrawn = lastRetraction
    ? text.slice((lastRetraction.index ?? 0) + lastRetraction[0].length)
    : text;
  const forHuman = withdrawn
    .replace(NOT_PERSON_CONTEXT, ' ')
    .replace(new RegExp(NOT_HUMAN.source, 'g'), ' ')
    .replace(new RegExp(BOT_QUESTION.source, 'g'), ' ')
    .trim();
  if (
    HUMAN_PATTERNS.some((pattern) => pattern.test(forHuman)) ||
    (BOT_REJECTED.test(forHuman) && PERSON_WORD.test(forHuman.replace(BOT_REJECTED, ' ')))
  )
    found.add('human');

  for (const [intent, pattern] of RULES) if (pattern.test(text)) found.add(intent);
  if (isShouting(message) || /!{3,}|\?!|!\?/.test(message)) found.add('frustrated');
  if (THANKS.test(text) && !NOT_THANKS.test(text) && !found.has('frustrated')) found.add('thanks');
  if (REPEAT_PHRASES.test(text) || repeatsEarlierMessage(text, history)) found.add('repeat');
  return [...found];
}

/** The message without phrases that name a person but ask for none ("human resources", "human error"). */
export function withoutNonRequests(message: string): string {
  return normalize(message).replace(NOT_PERSON_CONTEXT, ' ').replace(/\s+/g, ' ').trim();
}

/** The part of a message after the customer's last "never mind" (all of it when there is none). */
export function afterRetraction(message: string): string {
  const lower = normalize(message);
  const last = [...lower.matchAll(RETRACTION)].at(-1);
  if (!last) return message;
  const rest = lower.slice((last.index ?? 0) + last[0].length).replace(/^[\s,.;:!?\-–—]+/, '');
  return rest || message;
}

/** True when the message asks whether the customer is talking to a bot or a person. */
export function asksIfBot(message: string): boolean {
  return BOT_QUESTION.test(normalize(message));
}

/** ≥ 80% of the words (Dice overlap of content terms) repeat an earlier customer message. */
export function repeatsEarlierMessage(message: string, history: readonly TranscriptLine[]): boolean {
  const terms = contentTerms(message);
  if (terms.length < 2) return false;
  const earlier = history.filter((line) => line.author === 'customer');
  // `history` holds the messages before this one (the Assistant port's contract), so an identical
  // earlier line is a real repeat.
  return earlier
    .slice(-20)
    .some((line) => termOverlap(terms, contentTerms(cleanText(line.text, 2_000))) >= 0.8);
}

function normalize(message: string): string {
  return cleanText(message, 2_000)
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'");
}

function isShouting(message: string): boolean {
  const letters = (typeof message === 'string' ? message : '').replace(/[^A-Za-z]/g, '');
  return letters.length >= 10 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.7;
}
