import type { SandboxChannel, SandboxMessage, SandboxUser } from '../types.js';
import { parseWith, queryOf, UiError } from './http-io.js';
import { stateQuery, threadQuery, type UiSandbox, userQuery } from './schemas.js';

export const WORKSPACE_NAME = 'Baton local workspace';
/** How many top-level messages the channel view shows (newest kept). */
const CHANNEL_PAGE = 300;

/** A root message as the channel view needs it: the stored message plus thread summary. */
export interface UiMessage extends SandboxMessage {
  replyCount: number;
  replyUsers: string[];
  latestReply?: string;
}

export function requireHuman(sandbox: UiSandbox, userId: string): SandboxUser {
  const user = sandbox.user(userId);
  if (!user) throw new UiError(400, 'unknown_user', `no user ${userId} in this workspace`);
  if (user.isBot) throw new UiError(400, 'bot_user', `${userId} is a bot; pick a person to act as`);
  return user;
}

export function requireChannel(sandbox: UiSandbox, channelId: string): SandboxChannel {
  const channel = sandbox.channels().find((c) => c.id === channelId);
  if (!channel) throw new UiError(400, 'unknown_channel', `no channel ${channelId} in this workspace`);
  return channel;
}

function safeThread(sandbox: UiSandbox, channel: string, ts: string): SandboxMessage[] {
  try {
    return sandbox.readThread(channel, ts);
  } catch {
    return [];
  }
}

function summarize(sandbox: UiSandbox, message: SandboxMessage): UiMessage {
  if (message.reply_count === 0 || (message.thread_ts && message.thread_ts !== message.ts)) {
    return { ...message, replyCount: 0, replyUsers: [] };
  }
  const replies = safeThread(sandbox, message.channel, message.ts).filter((m) => m.ts !== message.ts);
  const replyUsers = [...new Set(replies.map((m) => m.user))].slice(0, 5);
  const latest = replies.at(-1)?.ts;
  return { ...message, replyCount: replies.length, replyUsers, ...(latest ? { latestReply: latest } : {}) };
}

export function workspaceOf(sandbox: UiSandbox) {
  return {
    name: WORKSPACE_NAME,
    teamId: sandbox.teamId,
    botUserId: sandbox.botUserId,
    botId: sandbox.botId,
    appId: sandbox.appId,
    handoffChannelId: sandbox.handoffChannelId,
    viewButtons: typeof sandbox.clickViewButton === 'function',
  };
}

/** GET /ui/users: who can be acted as, plus what the page needs before it loads a channel. */
export function usersRoute(sandbox: UiSandbox) {
  return { workspace: workspaceOf(sandbox), users: sandbox.users(), channels: sandbox.channels() };
}

/** GET /ui/state?user&channel: everything the channel view renders. */
export function stateRoute(sandbox: UiSandbox, url: URL) {
  const q = parseWith(stateQuery, queryOf(url));
  requireHuman(sandbox, q.user);
  const channel = requireChannel(sandbox, q.channel);
  const messages = sandbox
    .readChannel(channel.id)
    .slice(-CHANNEL_PAGE)
    .map((m) => summarize(sandbox, m));
  const ephemerals = sandbox.ephemeralsFor(q.user).filter((e) => e.channel === channel.id && !e.thread_ts);
  return {
    workspace: workspaceOf(sandbox),
    users: sandbox.users(),
    channels: sandbox.channels(),
    channel,
    messages,
    ephemerals,
    modal: topModal(sandbox, q.user),
  };
}

/** The modal on top of the user's stack, with the app's validation errors when the core keeps them. */
function topModal(sandbox: UiSandbox, user: string) {
  const view = sandbox.openModalsFor(user).at(-1);
  if (!view) return null;
  const errors = sandbox.viewErrors?.(view.id);
  return errors && Object.keys(errors).length > 0 ? { ...view, errors } : view;
}

/**
 * GET /ui/thread?user&channel&ts: root and replies. A permalink may point at a reply,
 * so when ts is not a thread root the thread containing it is returned instead.
 */
export function threadRoute(sandbox: UiSandbox, url: URL) {
  const q = parseWith(threadQuery, queryOf(url));
  requireHuman(sandbox, q.user);
  const channel = requireChannel(sandbox, q.channel);
  let threadTs = q.ts;
  let messages = safeThread(sandbox, channel.id, q.ts);
  const first = messages[0];
  const isRoot = first?.ts === q.ts && (!first.thread_ts || first.thread_ts === first.ts);
  if (!isRoot) {
    const parent =
      first?.thread_ts && first.thread_ts !== q.ts ? first.thread_ts : findParent(sandbox, channel.id, q.ts);
    if (parent) {
      threadTs = parent;
      messages = safeThread(sandbox, channel.id, parent);
    }
  }
  if (messages.length === 0)
    throw new UiError(404, 'thread_not_found', `no message ${q.ts} in ${channel.id}`);
  const ephemerals = sandbox
    .ephemeralsFor(q.user)
    .filter((e) => e.channel === channel.id && e.thread_ts === threadTs);
  return { channel, threadTs, highlight: q.ts, messages, ephemerals };
}

function findParent(sandbox: UiSandbox, channel: string, ts: string): string | undefined {
  for (const root of sandbox.readChannel(channel)) {
    if (root.reply_count === 0) continue;
    if (safeThread(sandbox, channel, root.ts).some((m) => m.ts === ts)) return root.ts;
  }
  return undefined;
}

/** GET /ui/home?user: the App Home view published for this user, if any. */
export function homeRoute(sandbox: UiSandbox, url: URL) {
  const q = parseWith(userQuery, queryOf(url));
  requireHuman(sandbox, q.user);
  return {
    workspace: workspaceOf(sandbox),
    view: sandbox.homeViewFor(q.user) ?? null,
    modal: topModal(sandbox, q.user),
  };
}
