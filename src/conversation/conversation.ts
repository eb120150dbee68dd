import type { ArticleRef } from './assistant.js';

/** Where a conversation stands. String literals, not enums: they travel as-is through JSON and SQL. */
export type ConversationStatus = 'bot' | 'waiting' | 'claimed' | 'queued' | 'resolved';
export const CONVERSATION_STATUSES: readonly ConversationStatus[] = [
  'bot',
  'waiting',
  'claimed',
  'queued',
  'resolved',
];

export type MessageAuthor = 'customer' | 'bot' | 'agent' | 'system';

/**
 * What a system message announces, as data. `resolved` marks where a round with the assistant ends:
 * turn counting reads this field, never the wording the customer sees.
 */
export type NoticeKind = 'handoff' | 'join' | 'resolved' | 'transfer' | 'slow' | 'card_failed';
export const NOTICE_KINDS: readonly NoticeKind[] = [
  'handoff',
  'join',
  'resolved',
  'transfer',
  'slow',
  'card_failed',
];

export interface Conversation {
  id: string;
  status: ConversationStatus;
  customer: { name?: string; email?: string };
  pageUrl?: string;
  metadata: Record<string, string>;
  lastSeq: number;
  followUpEmail?: string;
  csat?: { score: number; comment?: string };
  createdAt: string;
  updatedAt: string;
  /**
   * Bumped by every lifecycle step that writes the status (compare-and-set, so racing steps cannot both
   * win). A customer line that keeps the status leaves it: its transaction holds the row (see
   * applyInTransaction's `locked`).
   */
  version: number;
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  author: MessageAuthor;
  text: string;
  createdAt: string;
  clientMessageId?: string;
  agent?: { name: string; slackUserId?: string; avatarUrl?: string };
  articles?: ArticleRef[];
  confidence?: number;
  sentiment?: number;
  intents?: string[];
  slackTs?: string;
  editedAt?: string;
  deletedAt?: string;
  /** Set on system messages only: what the line announces. */
  notice?: NoticeKind;
}

/** Whether customer messages are relayed to the handoff's Slack thread. */
export function relaysToSlack(status: ConversationStatus): boolean {
  return status === 'waiting' || status === 'claimed' || status === 'queued';
}

/** The address a follow-up goes to: the one left when told nobody was around, else the one given at the start. */
export function followUpAddress(c: Pick<Conversation, 'followUpEmail' | 'customer'>): string | undefined {
  return c.followUpEmail ?? c.customer.email;
}
