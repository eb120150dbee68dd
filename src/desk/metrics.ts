import { knowledgeGaps, repeatInformation, type TextAnalysis } from './metrics-conversation.js';

export type { TextAnalysis } from './metrics-conversation.js';

/**
 * Handoff metrics for the admins' dashboards, computed from plain records of one period.
 * Period bounds are half-open ISO timestamps: start <= t < end.
 *
 * - Conversations: created in the period. Handoff rate = those with a handoff / all of them.
 * - Handoffs (reasons, wait, resolution, knowledge gaps): triggered in the period.
 * - Anything stamped at or after `end` (a reply, a resolution) has not happened yet.
 * - Rates and averages are null when their denominator is zero.
 */

export type StatsDays = 7 | 30;

export interface Period {
  days: StatsDays;
  start: string;
  end: string;
}

export interface ConversationRecord {
  id: string;
  createdAt: string;
}

export interface HandoffRecord {
  id: string;
  conversationId: string;
  /**
   * Stored text, so not narrowed to HandoffReason: a row may hold a reason an older Baton recorded,
   * which is counted as it is and shown escaped (see stats-blocks).
   */
  reason: string;
  triggeredAt: string;
  firstReplyAt?: string;
  resolvedAt?: string;
  transferred: boolean;
  topic?: string;
  /** CSAT score (1-5) of the handoff's conversation, if the customer rated it. */
  csatScore?: number;
}

export interface MessageRecord {
  conversationId: string;
  seq: number;
  author: string;
  text: string;
  confidence?: number;
  createdAt: string;
}

export interface MetricsRecords {
  conversations: readonly ConversationRecord[];
  handoffs: readonly HandoffRecord[];
  /** Customer and bot messages of the handed-off conversations (others may be omitted). */
  messages: readonly MessageRecord[];
}

export interface ReasonCount {
  /** A HandoffReason, or an older one still stored (see HandoffRecord). */
  reason: string;
  count: number;
  share: number;
}

export interface KnowledgeGap {
  topic: string;
  handoffs: number;
  /** Up to 3 customer questions (the last customer message before the trigger), ≤ 140 chars. */
  examples: string[];
}

export interface DeskStats {
  window: '7d' | '30d';
  from: string;
  to: string;
  conversations: number;
  handedOffConversations: number;
  handoffRate: number | null;
  handoffs: number;
  /** Reasons with at least one handoff, most frequent first. */
  reasons: ReasonCount[];
  wait: { answered: number; unanswered: number; medianSeconds: number | null; p90Seconds: number | null };
  resolution: { resolvedWithoutTransfer: number; rate: number | null };
  csat: { average: number | null; count: number };
  repeatInformation: { conversations: number; repeated: number; rate: number | null };
  knowledgeGaps: KnowledgeGap[];
}

const DAY_MS = 86_400_000;

export function periodEnding(now: Date, days: StatsDays): Period {
  return { days, start: new Date(now.getTime() - days * DAY_MS).toISOString(), end: now.toISOString() };
}

/** Linear interpolation between closest ranks (numpy's default); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(Math.max(p, 0), 1) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** Timestamps have millisecond precision; so do durations derived from them. */
const toMs = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000) / 1000);
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
const within = (t: string, p: Period) => t >= p.start && t < p.end;
const happened = (t: string | undefined, p: Period): t is string => t !== undefined && t < p.end;

export function deskStats(records: MetricsRecords, period: Period, text: TextAnalysis): DeskStats {
  const conversations = records.conversations.filter((c) => within(c.createdAt, period));
  const handoffs = records.handoffs.filter((h) => within(h.triggeredAt, period));
  const handedOff = new Set(handoffs.map((h) => h.conversationId));
  const handedOffConversations = conversations.filter((c) => handedOff.has(c.id)).length;

  const byReason = new Map<string, number>();
  for (const h of handoffs) byReason.set(h.reason, (byReason.get(h.reason) ?? 0) + 1);
  const reasons = [...byReason]
    .map(([reason, count]) => ({ reason, count, share: count / handoffs.length }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));

  const waits = handoffs
    .filter((h) => happened(h.firstReplyAt, period))
    .map((h) => Math.max(0, (Date.parse(h.firstReplyAt!) - Date.parse(h.triggeredAt)) / 1000));
  const resolved = handoffs.filter((h) => happened(h.resolvedAt, period) && !h.transferred).length;

  const csatByConversation = new Map<string, number>();
  for (const h of handoffs) if (h.csatScore != null) csatByConversation.set(h.conversationId, h.csatScore);
  const scores = [...csatByConversation.values()];

  const messages = records.messages.filter((m) => m.createdAt < period.end);
  const repeats = repeatInformation(handoffs, messages, text);
  return {
    window: `${period.days}d`,
    from: period.start,
    to: period.end,
    conversations: conversations.length,
    handedOffConversations,
    handoffRate: ratio(handedOffConversations, conversations.length),
    handoffs: handoffs.length,
    reasons,
    wait: {
      answered: waits.length,
      unanswered: handoffs.length - waits.length,
      medianSeconds: toMs(percentile(waits, 0.5)),
      p90Seconds: toMs(percentile(waits, 0.9)),
    },
    resolution: { resolvedWithoutTransfer: resolved, rate: ratio(resolved, handoffs.length) },
    csat: {
      average: ratio(
        scores.reduce((sum, s) => sum + s, 0),
        scores.length,
      ),
      count: scores.length,
    },
    repeatInformation: { ...repeats, rate: ratio(repeats.repeated, repeats.conversations) },
    knowledgeGaps: knowledgeGaps(handoffs, messages),
  };
}
