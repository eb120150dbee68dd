import type { HandoffRecord, KnowledgeGap, MessageRecord } from './metrics.js';

/** Text analysis the repeat detector needs; the service passes the AI adapter's functions. */
export interface TextAnalysis {
  /** Identifying facts of one message, normalised, e.g. "order:#NW-12345", "email:a@b.co", "phone:5551234567". */
  facts(text: string): string[];
  /** Content terms (stemmed, no stopwords). */
  terms(text: string): string[];
  /** Similarity of two term lists, 0..1. */
  overlap(a: readonly string[], b: readonly string[]): number;
}

/** Content overlap from which a later message counts as re-stating an earlier one. */
export const REPEAT_OVERLAP = 0.6;
/** Later messages with fewer content terms ("yes", "refund?") never count as an overlap repeat. */
export const REPEAT_MIN_TERMS = 2;
/** A bot answer below this confidence before a handoff marks a knowledge gap. */
export const GAP_CONFIDENCE = 0.35;
export const MAX_GAP_TOPICS = 5;
const MAX_EXAMPLES = 3;
const EXAMPLE_CHARS = 140;

function byConversation(messages: readonly MessageRecord[]): Map<string, MessageRecord[]> {
  const out = new Map<string, MessageRecord[]>();
  for (const m of messages) {
    const list = out.get(m.conversationId) ?? [];
    list.push(m);
    out.set(m.conversationId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.seq - b.seq);
  return out;
}

/** The first handoff of each conversation among the given ones. */
function firstHandoffs(handoffs: readonly HandoffRecord[]): HandoffRecord[] {
  const first = new Map<string, HandoffRecord>();
  for (const h of handoffs) {
    const seen = first.get(h.conversationId);
    if (!seen || h.triggeredAt < seen.triggeredAt) first.set(h.conversationId, h);
  }
  return [...first.values()];
}

/**
 * Repeat-information rate: how often a customer, after being handed to a person, has to repeat
 * what they already told the assistant. Per handed-off conversation (its first handoff in the
 * period at time T), customer messages created after T are compared with customer messages
 * created at or before T. A later message is a repeat when it states an order number, email or
 * phone number given before, or when its content terms overlap an earlier message's by at least
 * REPEAT_OVERLAP (and it has at least REPEAT_MIN_TERMS terms).
 * Rate = conversations with at least one repeat / conversations with a customer message after T.
 */
export function repeatInformation(
  handoffs: readonly HandoffRecord[],
  messages: readonly MessageRecord[],
  text: TextAnalysis,
): { conversations: number; repeated: number } {
  const grouped = byConversation(messages);
  let conversations = 0;
  let repeated = 0;
  for (const h of firstHandoffs(handoffs)) {
    const customer = (grouped.get(h.conversationId) ?? []).filter((m) => m.author === 'customer');
    const before = customer.filter((m) => m.createdAt <= h.triggeredAt);
    const after = customer.filter((m) => m.createdAt > h.triggeredAt);
    if (after.length === 0) continue;
    conversations += 1;
    const knownFacts = new Set(before.flatMap((m) => text.facts(m.text)));
    const earlierTerms = before.map((m) => text.terms(m.text));
    const repeats = after.some((m) => {
      if (text.facts(m.text).some((fact) => knownFacts.has(fact))) return true;
      const terms = text.terms(m.text);
      return (
        new Set(terms).size >= REPEAT_MIN_TERMS &&
        earlierTerms.some((earlier) => text.overlap(terms, earlier) >= REPEAT_OVERLAP)
      );
    });
    if (repeats) repeated += 1;
  }
  return { conversations, repeated };
}

function example(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= EXAMPLE_CHARS ? clean : `${clean.slice(0, EXAMPLE_CHARS - 1).trimEnd()}…`;
}

/**
 * Knowledge gaps: topics (the handoff's topic, or "unknown") whose handoffs came from the
 * assistant not knowing — reason low_confidence, or a bot answer with confidence below
 * GAP_CONFIDENCE at or before the trigger. Most frequent first, at most MAX_GAP_TOPICS, each with
 * up to three distinct example questions from the newest handoffs.
 */
export function knowledgeGaps(
  handoffs: readonly HandoffRecord[],
  messages: readonly MessageRecord[],
): KnowledgeGap[] {
  const grouped = byConversation(messages);
  const topics = new Map<string, KnowledgeGap>();
  const newestFirst = [...handoffs].sort((a, b) => b.triggeredAt.localeCompare(a.triggeredAt));
  for (const h of newestFirst) {
    const before = (grouped.get(h.conversationId) ?? []).filter((m) => m.createdAt <= h.triggeredAt);
    const unsure = before.some(
      (m) => m.author === 'bot' && m.confidence != null && m.confidence < GAP_CONFIDENCE,
    );
    if (h.reason !== 'low_confidence' && !unsure) continue;
    const topic = h.topic?.trim() || 'unknown';
    const gap = topics.get(topic) ?? { topic, handoffs: 0, examples: [] };
    gap.handoffs += 1;
    const question = before.filter((m) => m.author === 'customer').at(-1);
    const quoted = question ? example(question.text) : '';
    if (quoted && gap.examples.length < MAX_EXAMPLES && !gap.examples.includes(quoted))
      gap.examples.push(quoted);
    topics.set(topic, gap);
  }
  return [...topics.values()]
    .sort((a, b) => b.handoffs - a.handoffs || a.topic.localeCompare(b.topic))
    .slice(0, MAX_GAP_TOPICS);
}
