import type { ConversationSummary } from '../conversation/assistant.js';
import type { HandoffReason } from './triggers.js';

/** Where the handoff's card is: queued for Slack, posted (with its thread), or refused by Slack for good. */
export type CardState = 'pending' | 'posted' | 'failed';
export const CARD_STATES: readonly CardState[] = ['pending', 'posted', 'failed'];

export interface AgentRef {
  slackUserId: string;
  name: string;
  /** Their Slack profile picture, already checked (slack/agent-avatar.ts); absent: the chat shows the initial. */
  avatarUrl?: string;
}

/** One request for a person: its card, who claimed it, when it ended. */
export interface Handoff {
  id: string;
  conversationId: string;
  reason: HandoffReason;
  detail: string;
  summary?: ConversationSummary;
  sentiment?: number;
  /** The channel the card goes to (set when the handoff opens). */
  channel: string;
  cardState: CardState;
  error?: string;
  claimedBy?: AgentRef;
  triggeredAt: string;
  claimedAt?: string;
  firstReplyAt?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  /** Where the card lives once posted. */
  card?: { channel: string; ts: string };
  /** The agents routing picked or notified (anyone may still claim). */
  assignedTo: string[];
  escalationLevel: number;
  transferred: boolean;
  topic?: string;
}

/** Matches the Papercups convention too: `;;` marks a private note. */
export function isInternalNote(text: string): boolean {
  const trimmed = text.trimStart();
  return /^note:/i.test(trimmed) || trimmed.startsWith(';;');
}
