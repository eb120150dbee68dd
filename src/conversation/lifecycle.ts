import type { ArticleRef } from './assistant.js';

/** Where a conversation stands. String literals, not enums: they travel as-is through JSON and SQL. */
export type ConversationStatus = 'bot' | 'waiting' | 'claimed' | 'queued' | 'resolved';

export type MessageAuthor = 'customer' | 'bot' | 'agent' | 'system';

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
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  author: MessageAuthor;
  text: string;
  createdAt: string;
  clientMessageId?: string;
  agent?: { name: string; slackUserId?: string };
  articles?: ArticleRef[];
  confidence?: number;
  sentiment?: number;
  intents?: string[];
  slackTs?: string;
  editedAt?: string;
  deletedAt?: string;
}

/** Things that move a conversation from one status to another. */
export type ConversationEvent =
  | { kind: 'handoff_fired'; agentsAvailable: boolean }
  | { kind: 'claimed' }
  | { kind: 'resolved' }
  | { kind: 'customer_returned' };

export type TransitionResult =
  { ok: true; status: ConversationStatus; changed: boolean } | { ok: false; reason: string };

/**
 * The conversation state machine. Pure: no clock, no I/O.
 * - bot -> waiting (agents available) or queued (follow-up promised) when a handoff fires
 * - waiting|queued -> claimed when an agent claims
 * - anything but resolved -> resolved
 * - resolved -> bot when the customer writes again (a new question starts a new round)
 */
export function transition(status: ConversationStatus, event: ConversationEvent): TransitionResult {
  switch (event.kind) {
    case 'handoff_fired':
      if (status === 'bot')
        return { ok: true, status: event.agentsAvailable ? 'waiting' : 'queued', changed: true };
      if (status === 'waiting' || status === 'queued' || status === 'claimed') {
        return { ok: true, status, changed: false };
      }
      return { ok: false, reason: `cannot hand off a ${status} conversation` };
    case 'claimed':
      if (status === 'waiting' || status === 'queued') return { ok: true, status: 'claimed', changed: true };
      if (status === 'claimed') return { ok: false, reason: 'already claimed' };
      return { ok: false, reason: `cannot claim a ${status} conversation` };
    case 'resolved':
      if (status === 'resolved') return { ok: false, reason: 'already resolved' };
      return { ok: true, status: 'resolved', changed: true };
    case 'customer_returned':
      if (status === 'resolved') return { ok: true, status: 'bot', changed: true };
      return { ok: true, status, changed: false };
  }
}

/** Whether the assistant may answer on its own: only before any handoff. */
export function assistantMayAnswer(status: ConversationStatus): boolean {
  return status === 'bot';
}

/** Whether customer messages should be relayed to the Slack thread. */
export function relaysToSlack(status: ConversationStatus): boolean {
  return status === 'waiting' || status === 'claimed' || status === 'queued';
}
