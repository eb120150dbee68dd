import type { ConversationSummary } from '../conversation/assistant.js';
import type { Conversation, Message } from '../conversation/conversation.js';
import { maskSensitive, type SensitiveKind } from './sensitive-data.js';

export interface MaskedCardData {
  conversation: Conversation;
  messages: Message[];
  summary: ConversationSummary | undefined;
  /** Why the handoff fired, which may quote the customer ("disputes a charge: “My card …”"). */
  detail: string;
  /** Something was masked: the card offers a Reveal button. */
  masked: boolean;
}

/**
 * What a handoff card may show of a conversation: customer-written text with the chosen kinds of
 * personal data masked (the customer's messages, the summary built from them, the email and phone
 * facts, the customer's address). Agents' and the assistant's text is shown as written.
 */
export function maskCardData(
  conversation: Conversation,
  messages: Message[],
  handoff: { summary?: ConversationSummary | undefined; detail: string },
  kinds: readonly SensitiveKind[],
): MaskedCardData {
  const summary = handoff.summary;
  let masked = false;
  const mask = (text: string) => {
    const result = maskSensitive(text, kinds);
    if (result.masked.length > 0) masked = true;
    return result.text;
  };
  const maskedMessages = messages.map((m) => (m.author === 'customer' ? { ...m, text: mask(m.text) } : m));
  const maskedSummary = summary && {
    ...summary,
    issue: mask(summary.issue),
    tried: summary.tried.map(mask),
    ...(summary.nextStep ? { nextStep: mask(summary.nextStep) } : {}),
    facts: {
      ...summary.facts,
      orderNumbers: summary.facts.orderNumbers.map(mask),
      emails: kinds.includes('email') ? [] : summary.facts.emails,
      phoneNumbers: kinds.includes('phone') ? [] : summary.facts.phoneNumbers,
    },
  };
  const email = conversation.customer.email;
  const maskedConversation: Conversation = {
    ...conversation,
    customer: { ...conversation.customer, ...(email ? { email: mask(email) } : {}) },
    ...(conversation.followUpEmail ? { followUpEmail: mask(conversation.followUpEmail) } : {}),
  };
  const factsDropped =
    (kinds.includes('email') && (summary?.facts.emails.length ?? 0) > 0) ||
    (kinds.includes('phone') && (summary?.facts.phoneNumbers.length ?? 0) > 0);
  return {
    conversation: maskedConversation,
    messages: maskedMessages,
    summary: maskedSummary,
    detail: mask(handoff.detail),
    masked: masked || factsDropped,
  };
}

/** Customer text quoted elsewhere in Slack (stats examples, App Home, a rating comment), masked. */
export function maskedText(text: string, kinds: readonly SensitiveKind[]): string {
  return maskSensitive(text, kinds).text;
}

/** Desk stats whose example questions (customers' own words) are masked. */
export function maskStatsExamples<S extends { knowledgeGaps: { examples: string[] }[] }>(
  stats: S,
  kinds: readonly SensitiveKind[],
): S {
  return {
    ...stats,
    knowledgeGaps: stats.knowledgeGaps.map((g) => ({
      ...g,
      examples: g.examples.map((e) => maskedText(e, kinds)),
    })),
  };
}
