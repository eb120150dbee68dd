import type { ConversationSummary } from '../conversation/assistant.js';
import type { Conversation, Message } from '../conversation/conversation.js';
import { type ExtractedFacts, extractFacts } from '../lib/facts.js';
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
 * A number cut short by an earlier truncation ("my card 4242 4242 42…") no longer matches its pattern;
 * the digits left before the cut are hidden too.
 */
const CUT_DIGITS = /\d[\d \u00a0-]{5,}…/g;

/** Customer text quoted in Slack (stats examples, App Home, a rating comment, a reason line), masked. */
export function maskedText(text: string, kinds: readonly SensitiveKind[]): string {
  const masked = maskSensitive(text, kinds).text;
  return kinds.length > 0 ? masked.replace(CUT_DIGITS, '…') : masked;
}

/**
 * What a handoff card may show of a conversation: customer-written text with the chosen kinds of
 * personal data masked (the customer's messages, the summary and reason built from them, the rating
 * comment, the customer's address). Agents' and the assistant's text is shown as written.
 */
export function maskCardData(
  conversation: Conversation,
  messages: Message[],
  handoff: {
    summary?: ConversationSummary | undefined;
    detail: string;
    /** The card's transcript ends here: a later line masked is not on the card, so it offers no Reveal. */
    triggeredAt?: string;
  },
  kinds: readonly SensitiveKind[],
): MaskedCardData {
  let masked = false;
  const mask = (text: string) => {
    const result = maskedText(text, kinds);
    if (result !== text) masked = true;
    return result;
  };
  const onCard = (m: Message) =>
    !m.deletedAt && (handoff.triggeredAt === undefined || m.createdAt <= handoff.triggeredAt);
  const maskedMessages = messages.map((m) =>
    m.author !== 'customer' ? m : { ...m, text: onCard(m) ? mask(m.text) : maskedText(m.text, kinds) },
  );
  // A fact (an order number, a phone) is shown only if the masked messages still hold it: the
  // extractors read the raw text, and a "phone number" may be an SSN or part of an IBAN. Facts are
  // written in a normal form ("order 12345" gives #12345), so they are extracted again from the masked
  // lines, by the same code, as well as looked for as written.
  const maskedCustomerText = maskedMessages.filter((m) => m.author === 'customer').map((m) => m.text);
  const visible = maskedCustomerText.join('\n');
  const stillFound = kinds.length === 0 ? undefined : extractFacts(maskedCustomerText);
  const shownFacts = (kind: keyof ExtractedFacts, facts: string[]) => {
    const kept = stillFound
      ? facts.filter((f) => (visible.includes(f) || stillFound[kind].includes(f)) && mask(f) === f)
      : facts;
    if (kept.length < facts.length) masked = true;
    return kept;
  };
  const summary = handoff.summary;
  const maskedSummary = summary && {
    ...summary,
    issue: mask(summary.issue),
    tried: summary.tried.map(mask),
    ...(summary.nextStep ? { nextStep: mask(summary.nextStep) } : {}),
    facts: {
      orderNumbers: shownFacts('orderNumbers', summary.facts.orderNumbers),
      emails: kinds.includes('email') ? [] : shownFacts('emails', summary.facts.emails),
      phoneNumbers: kinds.includes('phone') ? [] : shownFacts('phoneNumbers', summary.facts.phoneNumbers),
      amounts: shownFacts('amounts', summary.facts.amounts),
    },
  };
  if (kinds.includes('email') && (summary?.facts.emails.length ?? 0) > 0) masked = true;
  if (kinds.includes('phone') && (summary?.facts.phoneNumbers.length ?? 0) > 0) masked = true;
  const email = conversation.customer.email;
  const maskedConversation: Conversation = {
    ...conversation,
    customer: { ...conversation.customer, ...(email ? { email: mask(email) } : {}) },
    ...(conversation.followUpEmail ? { followUpEmail: mask(conversation.followUpEmail) } : {}),
    ...(conversation.csat?.comment
      ? { csat: { ...conversation.csat, comment: mask(conversation.csat.comment) } }
      : {}),
  };
  return {
    conversation: maskedConversation,
    messages: maskedMessages,
    summary: maskedSummary,
    detail: mask(handoff.detail),
    masked,
  };
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
