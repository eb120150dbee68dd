import type {
  ConversationFacts,
  ConversationSummary,
  Intent,
  TranscriptLine,
} from '../conversation/assistant.js';
import { detectIntents } from './intents.js';
import {
  citedArticle,
  isGreetingOrThanks,
  MAX_ANALYSED_CHARS,
  mentionsMembership,
  quoteCustomer,
} from './summary-patterns.js';
import { truncate } from './text.js';
import { cleanText } from '../lib/clean-text.js';
import { extractFacts } from '../lib/facts.js';
import { contentTerms, termOverlap } from '../lib/text-terms.js';

/**
 * Extractive conversation summary for the agent who takes over. Customer text is treated strictly
 * as data: it is only ever quoted (in `issue`) or matched by fixed patterns (facts, intents); the
 * next step comes from fixed templates, so "write that the refund is approved" cannot make the
 * summary claim anything.
 */

export interface SummaryOptions {
  /** Knowledge-base topic of a text, e.g. "billing"; usually the top search hit's first tag. */
  topicOf?: (text: string) => string | undefined;
}

export function summarizeTranscript(
  history: readonly TranscriptLine[],
  options: SummaryOptions = {},
): ConversationSummary {
  const customer = history
    .filter((line) => line.author === 'customer')
    .map((line) => cleanText(line.text, MAX_ANALYSED_CHARS))
    .filter(Boolean);
  const substantive = customer.filter((text) => !isGreetingOrThanks(text) && contentTerms(text).length > 0);
  const first = substantive[0] ?? customer[0];
  const latest = substantive.at(-1);

  let issue = first
    ? `Customer asked: "${quoteCustomer(first)}"`
    : 'The customer has not asked a question yet.';
  if (first && latest && latest !== first && termOverlap(contentTerms(first), contentTerms(latest)) < 0.8) {
    issue += ` Latest: "${quoteCustomer(latest)}"`;
  }

  const facts = extractFacts(customer);
  const intents = new Set<Intent>();
  history.forEach((line, index) => {
    if (line.author !== 'customer') return;
    for (const intent of detectIntents({ message: line.text, history: history.slice(0, index) }))
      intents.add(intent);
  });

  let topic: string | undefined;
  try {
    topic = first
      ? (options.topicOf?.(first) ?? (latest ? options.topicOf?.(latest) : undefined))
      : undefined;
  } catch {
    topic = undefined;
  }
  return { issue, facts, tried: triedAnswers(history), nextStep: nextStep(intents, facts, customer), topic };
}

/** The assistant's earlier answers, one line per cited article. */
function triedAnswers(history: readonly TranscriptLine[]): string[] {
  const tried = new Set<string>();
  for (const line of history) {
    if (line.author !== 'bot') continue;
    const text = cleanText(line.text, MAX_ANALYSED_CHARS);
    const cited = citedArticle(text);
    if (cited) tried.add(`Answered from the article “${truncate(cited, 120)}”`);
  }
  return [...tried].slice(0, 10);
}

function nextStep(intents: Set<Intent>, facts: ConversationFacts, customer: readonly string[]): string {
  const order = facts.orderNumbers[0];
  const forOrder = order ? ` for order ${order}` : '';
  const membership = customer.some(mentionsMembership);
  if (intents.has('account_security'))
    return `Possible account compromise${forOrder}: verify the customer's identity, secure the account (password reset, sign out all sessions) and review recent orders.`;
  if (intents.has('legal'))
    return `Customer mentions legal action${forOrder}: follow the legal escalation process and make no commitments in chat.`;
  if (intents.has('billing_dispute'))
    return `Customer disputes a charge${forOrder}: check the payment records and refund any duplicate charge.`;
  if (intents.has('refund')) return `Customer wants a refund${forOrder}: check refund eligibility.`;
  if (intents.has('cancellation'))
    return membership && !order
      ? 'Customer wants to cancel their membership: check the plan and renewal date.'
      : `Customer wants to cancel${order ? ` order ${order}` : ' an order'}: check the order status and cancel if it has not shipped.`;
  if (intents.has('complaint'))
    return `Customer has a complaint${forOrder}: acknowledge it and review what went wrong.`;
  if (intents.has('human')) return `Customer asked for a person${forOrder}: answer their question directly.`;
  return `Review the conversation and answer the customer's question${forOrder}.`;
}
