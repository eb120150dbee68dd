import type { SandboxResponse } from './types.js';
import type {
  ApiCall,
  DeliveryResult,
  SandboxChange,
  SandboxChannel,
  SandboxEphemeral,
  SandboxMessage,
  SandboxUser,
  SandboxView,
} from './types.js';

/** A message as stored: the public shape plus the fields Slack adds to thread roots and bot posts. */
export type StoredMessage = SandboxMessage & {
  team: string;
  bot_profile?: Record<string, unknown>;
  latest_reply?: string;
  reply_users?: string[];
  reply_users_count?: number;
};

export type StoredView = SandboxView & { hash: string; externalId: string; errors?: Record<string, string> };

/** Where a response_url points back to, and how often it may still be used. */
export interface ResponseTarget {
  userId: string;
  channel: string;
  messageTs?: string;
  ephemeral: boolean;
  uses: number;
  expiresAt: number;
  /** What the app answered through this URL (or a slash command's ack body), in order. */
  answers: SandboxResponse[];
}

export interface DeliveryRecord {
  kind: 'event' | 'interaction' | 'command';
  contentType: string;
  body: string;
  result: DeliveryResult;
}

export interface WorkspaceStore {
  users: Map<string, SandboxUser>;
  channels: Map<string, SandboxChannel>;
  /** Every message of a channel (roots and replies), ts order. */
  messages: Map<string, StoredMessage[]>;
  ephemerals: SandboxEphemeral[];
  views: Map<string, StoredView>;
  homeViews: Map<string, string>;
  modalStacks: Map<string, string[]>;
  triggers: Map<string, { userId: string; issuedAt: number; used: boolean }>;
  responseUrls: Map<string, ResponseTarget>;
  calls: ApiCall[];
  deliveries: DeliveryRecord[];
  emit(change: SandboxChange): void;
  onChange(listener: (change: SandboxChange) => void): () => void;
  findMessage(channel: string, ts: string): StoredMessage | undefined;
  /** Inserts keeping ts order and keeps the root's reply bookkeeping current. */
  addMessage(message: StoredMessage): void;
  removeMessage(channel: string, ts: string): StoredMessage | undefined;
  thread(channel: string, threadTs: string): StoredMessage[];
}

export function createWorkspaceStore(users: SandboxUser[], channels: SandboxChannel[]): WorkspaceStore {
  const listeners = new Set<(change: SandboxChange) => void>();
  const messages = new Map<string, StoredMessage[]>();
  const list = (channel: string) => {
    let found = messages.get(channel);
    if (!found) {
      found = [];
      messages.set(channel, found);
    }
    return found;
  };
  const findMessage = (channel: string, ts: string) => messages.get(channel)?.find((m) => m.ts === ts);
  const thread = (channel: string, threadTs: string) =>
    (messages.get(channel) ?? []).filter((m) => m.ts === threadTs || m.thread_ts === threadTs);

  function refreshRoot(channel: string, threadTs: string): void {
    const root = findMessage(channel, threadTs);
    if (!root) return;
    const replies = thread(channel, threadTs).filter((m) => m.ts !== threadTs);
    if (replies.length === 0) {
      for (const key of [
        'thread_ts',
        'reply_count',
        'latest_reply',
        'reply_users',
        'reply_users_count',
      ] as const) {
        delete root[key];
      }
      return;
    }
    const replyUsers = [...new Set(replies.map((r) => r.user))];
    Object.assign(root, {
      thread_ts: root.ts,
      reply_count: replies.length,
      latest_reply: replies[replies.length - 1]?.ts,
      reply_users: replyUsers,
      reply_users_count: replyUsers.length,
    });
  }

  return {
    users: new Map(users.map((u) => [u.id, { ...u }])),
    channels: new Map(channels.map((c) => [c.id, { ...c, memberIds: [...c.memberIds] }])),
    messages,
    ephemerals: [],
    views: new Map(),
    homeViews: new Map(),
    modalStacks: new Map(),
    triggers: new Map(),
    responseUrls: new Map(),
    calls: [],
    deliveries: [],
    emit(change) {
      for (const listener of [...listeners]) listener(change);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    findMessage,
    thread,
    addMessage(message) {
      const channelMessages = list(message.channel);
      channelMessages.push(message);
      channelMessages.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
      if (message.thread_ts && message.thread_ts !== message.ts)
        refreshRoot(message.channel, message.thread_ts);
    },
    removeMessage(channel, ts) {
      const channelMessages = list(channel);
      const index = channelMessages.findIndex((m) => m.ts === ts);
      if (index < 0) return undefined;
      const [removed] = channelMessages.splice(index, 1);
      if (removed?.thread_ts && removed.thread_ts !== removed.ts) refreshRoot(channel, removed.thread_ts);
      return removed;
    },
  };
}

/** Resolves with the first value `probe` yields, re-checked on every change; rejects on timeout. */
export function waitForProbe<T>(
  store: Pick<WorkspaceStore, 'onChange'>,
  probe: () => T | undefined | false,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = probe();
    if (first !== undefined && first !== false) return resolve(first);
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`sandbox: condition not met within ${timeoutMs} ms (${describe()})`));
    }, timeoutMs);
    const unsubscribe = store.onChange(() => {
      const value = probe();
      if (value === undefined || value === false) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
  });
}
