import type { Logger } from 'pino';
import type { Db } from './storage/database.js';
import type { Transact } from './storage/group-commit.js';
import type { Assistant } from './conversation/assistant.js';
import type { ConversationStatus, Message } from './conversation/conversation.js';
import type { DeskSettings } from './desk/desk-settings.js';

/** Pushes changes to whoever watches a conversation live (the widget's stream). */
export interface LiveUpdates {
  message(conversationId: string, message: Message): void;
  status(conversationId: string, status: ConversationStatus, agent?: AgentProfile): void;
  /** Whether the customer has the chat open here right now (a live stream to this instance is connected). */
  isWatched(conversationId: string): boolean;
  /** Whether the customer has the chat open on any instance of the fleet. */
  watchedAnywhere(conversationId: string): Promise<boolean>;
}

/** Emails an agent's reply to a customer who left an address and is not in the chat. */
export interface FollowUpMailer {
  /** Queues the email in the caller's transaction, at most once per message, so it commits with the reply. */
  queue(
    db: Db,
    input: { conversationId: string; messageId: string; to: string; agentName: string; text: string },
  ): Promise<void>;
  /** Wakes the email worker after the commit. */
  kick(): void;
}

/** Emails a customer the transcript they asked for (queued in the email outbox, sent by its worker). */
export interface TranscriptMailer {
  /** The company name in the subject, e.g. "Northwind Goods". */
  brand: string;
  /** Wakes the email worker after the commit. */
  kick(): void;
}

export interface IdGenerator {
  conversationId(): string;
  token(): string;
  messageId(): string;
  handoffId(): string;
}

/** How an agent is shown to the customer: their Slack display name, and their picture if Slack has one. */
export interface AgentProfile {
  name: string;
  /** An image URL from an allowed origin (see slack/agent-avatar.ts); absent means "show the initial". */
  avatarUrl?: string;
}

/** Looks up how an agent should be named to the customer (their Slack display name). */
export interface AgentDirectory {
  displayName(slackUserId: string): Promise<string>;
  profile(slackUserId: string): Promise<AgentProfile>;
}

/** What Baton asks the Slack workspace about its agents. */
export interface SlackWorkspace {
  /** Human members of a channel (the bot excluded). */
  channelMembers(channel: string): Promise<string[]>;
  /** Slack's own presence: true when the person is active. */
  isActive(userId: string): Promise<boolean>;
  /** Workspace admins and owners may change Baton's settings. */
  isWorkspaceAdmin(userId: string): Promise<boolean>;
}

/** Everything the use cases need, passed explicitly; built once in the composition root. */
export interface ServiceDeps {
  db: Db;
  /** Runs a transaction that may share its commit with others (see createGroupCommit): for hot, short writes. */
  transact: Transact;
  now: () => Date;
  ids: IdGenerator;
  log: Logger;
  assistant: Assistant;
  live: LiveUpdates;
  agents: AgentDirectory;
  /**
   * Wakes the Slack outbox worker after new work is committed; `channels` (when known) are the channels
   * it is for, so new work for a channel whose lane is working wakes nothing (that lane finds it).
   */
  kickOutbox: (channels?: readonly string[]) => void;
  handoffChannel: string;
  /** The desk settings, cached briefly (see SETTINGS_CACHE_MS in create-app). */
  settings: () => Promise<DeskSettings>;
  /** Drops cached settings after a change, so this process acts on it at once (absent where nothing caches). */
  settingsChanged?: () => void;
  workspace: SlackWorkspace;
  /** Absent when no SMTP server is configured: follow-ups then stay in the chat. */
  followUp?: FollowUpMailer;
  /** Absent when no SMTP server is configured: a customer's request for a transcript is then refused. */
  transcripts?: TranscriptMailer;
  /** Tracks background work so shutdown can wait for it. */
  track: <T>(work: Promise<T>) => Promise<T>;
}
