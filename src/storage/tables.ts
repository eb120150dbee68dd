import type { Generated } from 'kysely';

/** Row shapes as stored. Only repositories see these; mappers turn them into domain values. */
export interface ConversationsTable {
  id: string;
  token_hash: string;
  status: string;
  customer_name: string | null;
  customer_email: string | null;
  page_url: string | null;
  metadata: string;
  last_seq: number;
  follow_up_email: string | null;
  csat_score: number | null;
  csat_comment: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  author: string;
  text: string;
  client_message_id: string | null;
  agent_slack_id: string | null;
  agent_name: string | null;
  agent_avatar_url: string | null;
  articles: string | null;
  confidence: number | null;
  sentiment: number | null;
  intents: string | null;
  slack_ts: string | null;
  edited_at: string | null;
  deleted_at: string | null;
  created_at: string;
  notice: string | null;
}

export interface ParticipantsTable {
  conversation_id: string;
  role: string;
  slack_user_id: string;
  display_name: string;
  joined_at: string;
}

export interface HandoffsTable {
  id: string;
  conversation_id: string;
  reason: string;
  detail: string;
  summary: string | null;
  sentiment: number | null;
  state: string;
  error: string | null;
  claimed_by: string | null;
  claimed_by_name: string | null;
  claimed_by_avatar_url: string | null;
  triggered_at: string;
  claimed_at: string | null;
  first_reply_at: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  assigned_to: string | null;
  escalation_level: Generated<number>;
  transferred: Generated<number>;
  topic: string | null;
  channel: string | null;
}

export interface SlackThreadsTable {
  channel: string;
  thread_ts: string;
  conversation_id: string;
  handoff_id: string;
  created_at: string;
}

export interface SlackOutboxTable {
  id: Generated<number>;
  channel: string;
  kind: string;
  conversation_id: string | null;
  handoff_id: string | null;
  message_id: string | null;
  payload: string;
  state: string;
  attempts: number;
  not_before: number;
  result_ts: string | null;
  error: string | null;
  created_at: string;
  done_at: string | null;
  sending: Generated<number>;
}

export interface ProcessedEventsTable {
  event_id: string;
  received_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: string | null;
}

export interface CopilotSuggestionsTable {
  id: string;
  handoff_id: string;
  agent_slack_id: string;
  text: string;
  articles: string | null;
  state: string;
  created_at: string;
  decided_at: string | null;
}

export interface AgentsTable {
  slack_user_id: string;
  presence: string | null;
  skills: string;
  capacity: number | null;
  last_assigned_at: string | null;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor: string;
  action: string;
  old_value: string | null;
  new_value: string | null;
  at: string;
}

export interface EmailOutboxTable {
  id: Generated<number>;
  conversation_id: string;
  message_id: string | null;
  to_address: string;
  subject: string;
  body: string;
  state: string;
  attempts: number;
  not_before: number;
  error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface SlackInboxTable {
  id: Generated<number>;
  delivery_id: string;
  kind: string;
  lane: string;
  body: string;
  retry_num: number | null;
  retry_reason: string | null;
  state: string;
  attempts: Generated<number>;
  not_before: Generated<number>;
  error: string | null;
  received_at: string;
  done_at: string | null;
}

export interface FleetInstancesTable {
  instance_id: string;
  /** Epoch ms of the instance's last heartbeat. */
  seen_at: number;
}

export interface LiveWatchersTable {
  conversation_id: string;
  instance_id: string;
}

/** What the triggers saw for one customer message (migrations/2026-12-01T050000-trigger-inputs.ts). */
export interface TriggerInputsTable {
  message_id: string;
  conversation_id: string;
  seq: number;
  customer_turns: number;
  /** 1 when the assistant had an answer (its `reply` was not null). */
  answered: number;
  confidence: number;
  sentiment: number;
  conversation_sentiment: number;
  /** JSON array of intents. */
  intents: string;
  decided_at: string;
}

/** Where one agent reply got to (migrations/2026-12-01T060000-delivery-marks.ts). */
export interface DeliveryMarksTable {
  message_id: string;
  conversation_id: string;
  channel: string;
  thread_ts: string;
  ts: string;
  created_at: string;
  delivered_at: string | null;
  seen_at: string | null;
  emailed_at: string | null;
  undelivered_at: string | null;
}

export interface Database {
  conversations: ConversationsTable;
  messages: MessagesTable;
  participants: ParticipantsTable;
  handoffs: HandoffsTable;
  slack_threads: SlackThreadsTable;
  slack_outbox: SlackOutboxTable;
  processed_events: ProcessedEventsTable;
  settings: SettingsTable;
  copilot_suggestions: CopilotSuggestionsTable;
  agents: AgentsTable;
  audit_log: AuditLogTable;
  email_outbox: EmailOutboxTable;
  slack_inbox: SlackInboxTable;
  fleet_instances: FleetInstancesTable;
  live_watchers: LiveWatchersTable;
  trigger_inputs: TriggerInputsTable;
  delivery_marks: DeliveryMarksTable;
}
