import type { AgentRef } from '../handoff/handoff.js';
import type { ConversationStatus } from './conversation.js';
import type { LifecycleEffect, NewHandoff } from './effects.js';

/** What a step needs to know about the conversation's handoff (the current one, or the one an event names). */
export interface HandoffFacts {
  id: string;
  channel: string;
  claimedBy?: AgentRef;
  resolved: boolean;
  cardPosted: boolean;
  escalationLevel: number;
  assignedTo: string[];
}

export interface LifecycleState {
  status: ConversationStatus;
  handoff?: HandoffFacts;
  /** Where a follow-up email would go, if the customer gave an address. */
  followUpTo?: string;
}

/** Facts from outside the conversation, read by the service before the step. */
export interface LifecycleContext {
  /** The admin's join message (`{agent}` is replaced). */
  joinTemplate: string;
  /** The customer has the chat open right now. */
  customerWatching: boolean;
  /** Follow-up email is configured (SMTP). */
  canEmail: boolean;
}

/**
 * Things that happen to a conversation. Every status change is one of these; a customer who returns to a
 * resolved conversation is a `customer_message` there (it opens a new round with the assistant).
 */
export type LifecycleEvent =
  | { kind: 'customer_message'; messageId: string }
  | { kind: 'late_relay'; messageId: string }
  | { kind: 'trigger'; handoff: NewHandoff }
  | { kind: 'request'; handoff: NewHandoff }
  | { kind: 'takeover'; handoff: NewHandoff; agent: AgentRef }
  | { kind: 'claim'; agent: AgentRef }
  | {
      kind: 'agent_reply';
      agent: AgentRef;
      messageId: string;
      text: string;
      slackTs?: string;
      copilot?: boolean;
    }
  | { kind: 'transfer_to_agent'; actor: string; asAdmin: boolean; agent: AgentRef }
  | { kind: 'transfer_to_channel'; actor: string; asAdmin: boolean; channel: string; handoff: NewHandoff }
  | { kind: 'card_posted'; channel: string; ts: string }
  | { kind: 'card_failed'; code: string }
  | { kind: 'email_left'; email: string }
  | { kind: 'resolve'; actor: AgentRef; asAdmin: boolean }
  | { kind: 'rate'; score: number; comment?: string }
  | { kind: 'escalate'; waitedMinutes: number; mention: string[]; here?: boolean };

export type LifecycleEventKind = LifecycleEvent['kind'];

/** Why a step was refused; each is a normal outcome the caller words for its user. */
export type Refusal =
  | { code: 'not_with_assistant' }
  | { code: 'no_handoff' }
  | { code: 'closed' }
  | { code: 'already_claimed'; by: AgentRef }
  | { code: 'not_claimed' }
  | { code: 'not_yours'; by: AgentRef }
  | { code: 'same_agent' }
  | { code: 'same_channel' }
  | { code: 'not_resolved' }
  | { code: 'not_waiting' }
  | { code: 'escalated_enough' };

export type Step =
  { ok: true; status: ConversationStatus; effects: LifecycleEffect[] } | { ok: false; refusal: Refusal };
