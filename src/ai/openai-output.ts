import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import type { ArticleRef, Intent, MessageAnalysis } from '../conversation/assistant.js';
import type { Article } from './kb-loader.js';
import { truncate } from './text.js';

/**
 * What the OpenAI-compatible engine asks the model for, how its JSON is validated, and how the
 * validated answer is hardened against prompt injection before anything else in Baton sees it.
 *
 * Two schemas per answer: the *wire* schema goes into `response_format` (plain types only, so
 * strict mode on OpenAI/Azure and the grammar engines of vLLM/Ollama/LM Studio all accept it); the
 * *validation* schema adds ranges and length caps and is applied to whatever comes back.
 */

/**
 * Intents the model may ADD. `not_human` and `thanks` are deliberately missing: both suppress
 * handoffs (handoff/triggers.ts), so letting the model add them would let it remove an escalation.
 */
export const MODEL_INTENTS = [
  'human',
  'billing_dispute',
  'refund',
  'cancellation',
  'legal',
  'account_security',
  'complaint',
  'frustrated',
  'repeat',
] as const satisfies readonly Intent[];
const MODEL_INTENT_SET: ReadonlySet<string> = new Set(MODEL_INTENTS);

/** Longest reply shown to the customer (before the "read more" line). */
export const MAX_REPLY_CHARS = 1_200;
/** Longest model-written issue sentence accepted for a handoff summary. */
export const MAX_ISSUE_CHARS = 300;

const AnswerWire = z.object({
  reply: z.string().nullable().describe('Answer for the customer, or null if the articles do not answer.'),
  confidence: z.number().describe('0..1: how sure you are that reply answers the message.'),
  articleIds: z.array(z.string()).describe('Ids of the provided articles the reply is based on.'),
  intents: z.array(z.enum(MODEL_INTENTS)).describe('Intents present in the new customer message.'),
  sentiment: z.number().describe('-1 (very negative) .. 1 (very positive) for the new message.'),
});

export const AnswerSchema = z.object({
  reply: z.string().max(6_000).nullable(),
  confidence: z.number().min(0).max(1),
  articleIds: z.array(z.string().max(200)).max(10),
  // Unknown intent names are tolerated here and dropped by `mergeAnalysis`, not fatal.
  intents: z.array(z.string().max(40)).max(20),
  sentiment: z.number().min(-1).max(1),
});
export type Answer = z.infer<typeof AnswerSchema>;

const SummaryWire = z.object({
  issue: z.string().describe('One or two plain sentences: what the customer needs.'),
});
export const SummarySchema = z.object({ issue: z.string().max(2_000) });

/** Plain objects (the helper's parse hooks are not needed: we validate ourselves). */
export const answerFormat = { ...zodResponseFormat(AnswerWire, 'baton_answer') };
export const summaryFormat = { ...zodResponseFormat(SummaryWire, 'baton_summary') };

/**
 * Hardens a validated model answer with the local engine's analysis of the same message:
 * intents are a union (the model can add escalations, never remove the rules' intents), sentiment
 * can only go down, cited articles must be among those retrieved and are described by the KB.
 */
export function mergeAnalysis(
  local: MessageAnalysis,
  answer: Answer,
  context: { retrieved: readonly Article[]; ruleIntents: readonly Intent[] },
): MessageAnalysis & { rejected?: string } {
  const byId = new Map(context.retrieved.map((article) => [article.id, article]));
  const cited = unique(answer.articleIds.map((id) => id.trim()))
    .map((id) => byId.get(id))
    .filter((article): article is Article => article !== undefined)
    .slice(0, 3);
  const modelIntents = answer.intents.filter((intent): intent is Intent => MODEL_INTENT_SET.has(intent));
  const intents = unique<Intent>([...local.intents, ...context.ruleIntents, ...modelIntents]);
  const sentiment = round(clamp(Math.min(local.sentiment, answer.sentiment), -1, 1));
  // Lower the conversation score by as much as the model lowered this message's score.
  const conversationSentiment = round(
    clamp(local.conversationSentiment + (sentiment - local.sentiment), -1, local.conversationSentiment),
  );
  const text = cleanReply(answer.reply);
  // A reply that promises money or an action, or links where the articles do not, is not the model's to
  // give: the local engine's answer (from the same articles) stands instead.
  const checked = text === null ? { ok: true as const } : checkReply(text, context.retrieved);
  if (!checked.ok) return { ...local, intents, sentiment, conversationSentiment, rejected: checked.reason };
  const first = cited[0];
  const reply =
    text && first && !text.includes(first.title) ? `${text}\n\nYou can read more in ${first.title}.` : text;
  const topic = first?.tags[0] ?? local.topic;
  return {
    reply,
    ...(local.offerPerson ? { offerPerson: true } : {}),
    confidence: reply ? round(clamp(answer.confidence, 0, 1)) : 0,
    articles: reply ? cited.map(toRef) : [],
    sentiment,
    conversationSentiment,
    intents,
    ...(topic ? { topic } : {}),
  };
}

/** Control characters out, blank runs collapsed, length capped; empty → null. */
export function cleanReply(reply: string | null): string | null {
  if (reply === null) return null;
  const text = reply
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n]/gu, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text ? truncate(text, MAX_REPLY_CHARS) : null;
}

const URLISH = /\b(?:https?|ftp|mailto|slack|tel):|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/i;
const MENTION = /@|!(?:channel|here|everyone|subteam)\b/i;

/**
 * Promises only a person can make: money, approvals, actions already taken or about to be. The
 * knowledge base states policies ("refunds are processed within 5 days"); the assistant never decides.
 */
const PROMISES: RegExp[] = [
  /\b(?:has|have|had|was|were|is|are|been|got|get)\s+(?:been\s+|now\s+|already\s+|fully\s+)*(?:approved|authori[sz]ed|granted|issued|credited|refunded|reimbursed|cancel+ed|waived|escalated|expedited|compensated)\b/i,
  /\b(?:i|we)(?:'ve|'ll| have| will| are going to| am going to| can| shall)?\s+(?:now\s+|already\s+|personally\s+|gladly\s+)?(?:approved?|authori[sz]ed?|grant(?:ed)?|issued?|credit(?:ed)?|refund(?:ed)?|reimburs(?:e|ed)|cancel+(?:ed)?|waived?|compensat(?:e|ed)|expedit(?:e|ed)|process(?:ed)?)\b(?!\s+(?:time|times|policy|policies))/i,
  /\bapproved by\b|\bon (?:the )?(?:manager|supervisor)'?s? (?:approval|authority)\b|\bexception (?:has been|was) made\b/i,
  /\b(?:guarantee[ds]?|promise[ds]?)\b/i,
];
const AMOUNT = /[$€£]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:dollars|euros|pounds|usd|eur|gbp)\b/gi;
const URL_IN_TEXT = /\b(?:https?:\/\/|www\.)[^\s<>()"']+/gi;

/**
 * Checks a model-written reply against the articles it was given: no promise of money or an action,
 * no amount and no link the articles do not contain. Returns why it was refused.
 */
export function checkReply(
  reply: string,
  articles: readonly Pick<Article, 'body' | 'url'>[],
): { ok: true } | { ok: false; reason: 'promise' | 'amount' | 'url' } {
  const source = articles
    .map((a) => `${a.body}\n${a.url ?? ''}`)
    .join('\n')
    .toLowerCase();
  const normalise = (t: string) => t.toLowerCase().replace(/[.,;:!?)]+$/, '');
  for (const pattern of PROMISES) {
    const match = pattern.exec(reply);
    if (!match) continue;
    // Quoting the articles is fine ("if the claim is approved, we repair it"): the phrase with the two
    // words before it must stand in an article; "your refund is approved" stands in none.
    const before = reply.slice(0, match.index).split(/\s+/).filter(Boolean).slice(-2).join(' ');
    const phrase = `${before} ${match[0]}`.trim().toLowerCase().replace(/\s+/g, ' ');
    if (!source.replace(/\s+/g, ' ').includes(phrase)) return { ok: false, reason: 'promise' };
  }
  for (const amount of reply.match(AMOUNT) ?? [])
    if (!source.includes(normalise(amount).replace(/\s/g, ''))) return { ok: false, reason: 'amount' };
  for (const url of reply.match(URL_IN_TEXT) ?? [])
    if (!source.includes(normalise(url))) return { ok: false, reason: 'url' };
  // A bare domain ("evil.example/approve") links in Slack and in most chat widgets too.
  for (const domain of reply.replace(URL_IN_TEXT, ' ').match(new RegExp(URLISH.source, 'gi')) ?? [])
    if (!source.includes(normalise(domain))) return { ok: false, reason: 'url' };
  return { ok: true };
}

/**
 * Checks a model-written issue sentence before it goes on the Slack card. Rejects (rather than
 * repairs) anything that could ping people, link somewhere or carry markup.
 */
export function checkIssue(raw: string): { ok: true; issue: string } | { ok: false; reason: string } {
  const issue = raw
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (issue.length < 3) return { ok: false, reason: 'empty' };
  if (issue.length > MAX_ISSUE_CHARS) return { ok: false, reason: 'too_long' };
  if (/[<>]/.test(issue)) return { ok: false, reason: 'markup' };
  if (MENTION.test(issue)) return { ok: false, reason: 'mention' };
  if (URLISH.test(issue)) return { ok: false, reason: 'url' };
  // "Refund approved by the manager" on a card reads like a decision someone made; it is the model's.
  if (PROMISES.some((p) => p.test(issue))) return { ok: false, reason: 'promise' };
  return { ok: true, issue };
}

function toRef(article: Article): ArticleRef {
  return { id: article.id, title: article.title, ...(article.url ? { url: article.url } : {}) };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
