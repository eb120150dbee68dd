import type { ConversationSummary } from './assistant.js';
import type { ConversationStatus, NoticeKind } from './conversation.js';
import type { AgentRef } from '../handoff/handoff.js';
import type { HandoffReason } from '../handoff/triggers.js';

/** What Baton tells agents in a handoff thread; the Slack edge words it. */
export type ThreadNotice =
  | { notice: 'claimed'; agentId: string }
  | { notice: 'resolved'; by: string }
  | { notice: 'rated'; score: number; comment?: string }
  /** A reply sent from the copilot; `messageId` lets its delivery marks find this post once it is made. */
  | { notice: 'agent_sent'; by: string; text: string; messageId?: string }
  /** `here: false` when the channel was already called with @here recently (see escalation.ts). */
  | { notice: 'escalated'; level: number; waitedMinutes: number; mention: string[]; here?: boolean };

/** A handoff about to open: decided by the services (routing, summary) before the lifecycle step. */
export interface NewHandoff {
  id: string;
  reason: HandoffReason;
  detail: string;
  channel: string;
  summary: ConversationSummary;
  sentiment: number;
  topic?: string;
  /** The agents routing picked; they get a direct message once the card is posted. */
  assignedTo: string[];
  /** The one agent routing assigned (not a broadcast): round robin remembers them. */
  assignedAgent?: string;
  /** False when nobody can take it now (closed, or nobody available): the customer is promised a follow-up. */
  agentsAvailable: boolean;
  /** The customer's notice; absent on a takeover, where "Dana has joined" follows at once. */
  notice?: string;
}

/**
 * Everything a lifecycle step changes besides the status, as data. The service that applies a step
 * commits all of them in the transaction that sets the status; none of them is done anywhere else.
 */
export type LifecycleEffect =
  // The handoff record.
  | { kind: 'open_handoff'; handoff: NewHandoff }
  | { kind: 'claim_handoff'; handoffId: string; agent: AgentRef }
  | { kind: 'reassign_handoff'; handoffId: string; agent: AgentRef }
  | { kind: 'close_handoff'; handoffId: string; by: string; transferred: boolean }
  | { kind: 'record_card'; handoffId: string; channel: string; ts: string }
  | { kind: 'record_card_failure'; handoffId: string; code: string }
  | { kind: 'raise_escalation'; handoffId: string; from: number; to: number }
  | { kind: 'record_first_reply'; handoffId: string }
  | { kind: 'mark_assigned'; agentId: string }
  // The conversation record.
  | { kind: 'add_participant'; agent: AgentRef }
  | { kind: 'set_csat'; score: number; comment?: string }
  | { kind: 'set_follow_up_email'; email: string }
  // What the customer sees.
  | { kind: 'customer_notice'; notice: NoticeKind; text: string }
  | { kind: 'agent_message'; messageId: string; agent: AgentRef; text: string; slackTs?: string }
  | { kind: 'live_status'; status: ConversationStatus; agentName?: string; agentAvatarUrl?: string }
  | { kind: 'email_follow_up'; to: string; messageId: string; agentName: string; text: string }
  // What the agents see in Slack.
  | { kind: 'post_card'; handoffId: string; channel: string }
  | { kind: 'update_card'; handoffId: string; channel: string }
  | { kind: 'thread_notice'; handoffId: string; channel: string; notice: ThreadNotice }
  | { kind: 'relay_to_thread'; handoffId: string; channel: string; messageId: string }
  | { kind: 'dm_agent'; agentId: string; handoffId: string; channel: string }
  | { kind: 'announce'; text: string }
  // The record of who did what.
  | { kind: 'audit'; actor: string; action: string; oldValue?: unknown; newValue?: unknown };
