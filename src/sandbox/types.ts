import type { MethodFault } from './method-faults.js';

export type { MethodFault };
/**
 * The public surface of the local Slack workspace: what Baton's composition root,
 * the integration tests and the agent browser view use. The server that implements
 * it lives in ./create-sandbox.ts.
 */

export interface SandboxUser {
  id: string;
  name: string; // Slack handle, e.g. "dana"
  realName: string;
  displayName: string;
  email: string;
  isAdmin: boolean;
  isOwner: boolean;
  isBot: boolean;
  /** Slack presence as users.getPresence would report it. */
  presence: 'active' | 'away';
  tz: string;
}

export interface SandboxChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  memberIds: string[];
}

/** A message as Slack stores it (the shape conversations.replies returns). */
export interface SandboxMessage {
  type: 'message';
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  bot_id?: string;
  app_id?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edited?: { user: string; ts: string };
  client_msg_id?: string;
  /** Absent when the message has none, as in Slack's payloads. */
  reactions?: SandboxReaction[];
}

/** One emoji on a message: who added it, in the order Slack lists them (first use first). */
export interface SandboxReaction {
  /** Emoji name without colons, e.g. `eyes` or `thumbsup::skin-tone-2`. */
  name: string;
  users: string[];
  count: number;
}

export interface SandboxEphemeral {
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

/** One Web API call the app made, recorded for tests and the debug panel. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
  /** What the sandbox answered: HTTP status and JSON body. */
  status: number;
  response: Record<string, unknown>;
}

/** What came back when the sandbox delivered something to the app. */
/** One answer an app gave through a response_url (or in a slash command's ack body). */
export interface SandboxResponse {
  text?: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean | string;
  delete_original?: boolean | string;
}

export interface DeliveryResult {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** Set when nothing usable came back: `no_app_request_url`, `http_timeout`, `connection_failed`. */
  error?: string;
  /** Slash commands and message buttons: the response_url issued with the request. */
  responseUrl?: string;
}

export interface SandboxView {
  id: string;
  type: 'home' | 'modal';
  userId: string;
  view: Record<string, unknown>;
}

export type SandboxChange =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral'; user: string }
  | { kind: 'view'; userId: string }
  | { kind: 'call'; method: string }
  | { kind: 'response'; url: string };

export interface SandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Address to bind; default 127.0.0.1. Anything but loopback needs `uiToken`. */
  host?: string;
  /**
   * Host header values served besides localhost, 127.0.0.1 and [::1] (and the bind address):
   * `name` (with no port or the listening port) or `name:port`. Others get 421 (DNS rebinding).
   */
  allowedHosts?: string[];
  /** When set, the agent view (`/`, `/ui/…`) needs `?token=` once, then its cookie. */
  uiToken?: string;
  signingSecret: string;
  botToken: string;
  /** App-level token accepted by apps.connections.open (Socket Mode). */
  appToken?: string;
  /** Where events, interactions and slash commands are POSTed (Bolt's /slack/events). */
  appRequestUrl?: string;
  /**
   * Delays of Slack's retries of a failed event delivery (default: at once, 1 min, 5 min, like Slack);
   * [] turns retries off.
   */
  eventRetryDelaysMs?: number[];
  /** Apply Slack's chat.postMessage pacing (about 1/s per channel, small burst). Default true. */
  rateLimits?: boolean;
  /** Extra users/channels; defaults ship a handoff channel and three agents. */
  users?: SandboxUser[];
  channels?: SandboxChannel[];
  now?: () => number;
}

export interface SlackSandbox {
  /** e.g. http://127.0.0.1:43123 */
  readonly url: string;
  /** Base for @slack/web-api's slackApiUrl, e.g. http://127.0.0.1:43123/api/ */
  readonly apiUrl: string;
  readonly teamId: string;
  readonly appId: string;
  readonly botId: string;
  readonly botUserId: string;
  /** The default handoff channel's ID. */
  readonly handoffChannelId: string;

  setAppRequestUrl(url: string): void;
  setRateLimits(enabled: boolean): void;
  /**
   * Slack weather for one Web API method ('*' for every method): slow, 429, an error code, or a
   * success answered too late. `times` limits it to the next n calls; undefined clears it.
   */
  setFault(method: string, fault: MethodFault | undefined, times?: number): void;
  clearFaults(): void;
  /** Make the next n chat.postMessage calls answer 429 with this Retry-After (seconds). */
  forceRateLimit(method: string, times: number, retryAfterSeconds: number): void;

  users(): SandboxUser[];
  user(id: string): SandboxUser | undefined;
  setUserPresence(id: string, presence: 'active' | 'away'): void;
  channels(): SandboxChannel[];

  /** Top-level messages of a channel, oldest first. */
  readChannel(channel: string): SandboxMessage[];
  /** Root first, then replies, oldest first (like conversations.replies). */
  readThread(channel: string, threadTs: string): SandboxMessage[];
  /** The reactions on a message or thread reply (a copy); [] when it has none. Throws for an unknown one. */
  reactionsOn(channel: string, ts: string): SandboxReaction[];
  ephemeralsFor(userId: string): SandboxEphemeral[];
  /**
   * The user reloads Slack (or opens it on another device): their ephemeral messages are gone, as in
   * real Slack, which keeps them only in the client that showed them.
   */
  reloadClient(userId: string): void;
  homeViewFor(userId: string): SandboxView | undefined;
  openModalsFor(userId: string): SandboxView[];
  calls(): ApiCall[];
  waitForCall(predicate: (call: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall>;
  /** Resolves when predicate holds over the current state; re-checked on every change. */
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  onChange(listener: (change: SandboxChange) => void): () => void;

  /** A person posts (top level, or a thread reply when threadTs is given); the message event is delivered. */
  postMessageAs(
    userId: string,
    channel: string,
    text: string,
    opts?: { threadTs?: string },
  ): Promise<{ ts: string; eventId: string; delivery: DeliveryResult }>;
  editMessageAs(userId: string, channel: string, ts: string, text: string): Promise<DeliveryResult>;
  deleteMessageAs(userId: string, channel: string, ts: string): Promise<DeliveryResult>;
  clickButton(
    userId: string,
    channel: string,
    messageTs: string,
    actionId: string,
    opts?: { value?: string; ephemeral?: boolean },
  ): Promise<DeliveryResult>;
  /** Answers the app sent to a response_url so far (slash commands answer through it after an empty ack). */
  responsesTo(responseUrl: string): SandboxResponse[];
  runSlashCommand(
    userId: string,
    channel: string,
    text: string,
    opts?: { command?: string; threadTs?: string },
  ): Promise<DeliveryResult>;
  openAppHome(userId: string): Promise<DeliveryResult>;
  /** A person clicks a button in a view (the App Home tab or an open modal). */
  clickViewButton(userId: string, viewId: string, actionId: string): Promise<DeliveryResult>;
  /** Validation errors the app returned for a modal (response_action: errors). */
  viewErrors(viewId: string): Record<string, string> | undefined;
  submitView(
    userId: string,
    viewId: string,
    values: Record<string, Record<string, unknown>>,
  ): Promise<DeliveryResult>;
  /** Low level: sign and POST an Events API body; retryNum adds X-Slack-Retry-Num/Reason. */
  deliverEvent(
    body: Record<string, unknown>,
    opts?: { retryNum?: number; retryReason?: string },
  ): Promise<DeliveryResult>;
  /** Sign an arbitrary raw body as Slack would (for negative tests). */
  sign(rawBody: string, timestampSec?: number): { signature: string; timestamp: string };

  close(): Promise<void>;
}
