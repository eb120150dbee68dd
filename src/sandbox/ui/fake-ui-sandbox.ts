// A hand-written fake of the narrow UiSandbox port, for the agent view's route tests.
import type {
  DeliveryResult,
  SandboxChange,
  SandboxEphemeral,
  SandboxMessage,
  SandboxView,
} from '../types.js';
import type { UiSandbox } from './schemas.js';

export interface FakeCall {
  method: string;
  args: unknown[];
}

const human = (id: string, name: string, realName: string) => ({
  id,
  name,
  realName,
  displayName: realName.split(' ')[0] ?? realName,
  email: `${name}@example.com`,
  isAdmin: false,
  isOwner: false,
  isBot: false,
  presence: 'active' as 'active' | 'away',
  tz: 'UTC',
});

export function createFakeSandbox() {
  const calls: FakeCall[] = [];
  const listeners = new Set<(c: SandboxChange) => void>();
  const messages: SandboxMessage[] = [];
  const ephemerals: SandboxEphemeral[] = [];
  const modals: SandboxView[] = [];
  let home: SandboxView | undefined;
  let delivery: DeliveryResult = { status: 200, body: '', headers: {} };
  let seq = 100;
  const users = [
    human('U0DANA', 'dana', 'Dana Reyes'),
    human('U0SAM', 'sam', 'Sam Patel'),
    { ...human('U0BOT', 'baton', 'Baton'), isBot: true },
  ];
  const emit = (c: SandboxChange) => {
    for (const l of listeners) l(c);
  };
  const record = (method: string, ...args: unknown[]) => {
    calls.push({ method, args });
    return delivery;
  };
  const add = (m: Partial<SandboxMessage> & { user: string; text: string; channel: string }) => {
    const msg: SandboxMessage = { type: 'message', ts: `1700000${seq++}.000100`, ...m };
    messages.push(msg);
    if (msg.thread_ts) {
      const root = messages.find((r) => r.ts === msg.thread_ts);
      if (root) root.reply_count = (root.reply_count ?? 0) + 1;
    }
    emit({ kind: 'message', channel: msg.channel, ts: msg.ts });
    return msg;
  };

  const sandbox: UiSandbox = {
    teamId: 'T0FAKE',
    botUserId: 'U0BOT',
    botId: 'B0BOT',
    appId: 'A0APP',
    handoffChannelId: 'C0HANDOFFS',
    users: () => users,
    user: (id) => users.find((u) => u.id === id),
    setUserPresence: (id, presence) => {
      const u = users.find((x) => x.id === id);
      if (u) u.presence = presence;
      calls.push({ method: 'setUserPresence', args: [id, presence] });
    },
    channels: () => [
      {
        id: 'C0HANDOFFS',
        name: 'support-handoffs',
        isPrivate: false,
        isArchived: false,
        memberIds: ['U0DANA'],
      },
      { id: 'C0GENERAL', name: 'general', isPrivate: false, isArchived: false, memberIds: [] },
    ],
    readChannel: (channel) =>
      messages.filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts)),
    readThread: (channel, ts) =>
      messages.filter((m) => m.channel === channel && (m.ts === ts || m.thread_ts === ts)),
    ephemeralsFor: (user) => ephemerals.filter((e) => e.user === user),
    reloadClient: (user) => {
      const kept = ephemerals.filter((e) => e.user !== user);
      ephemerals.splice(0, ephemerals.length, ...kept);
    },
    homeViewFor: (user) => (home?.userId === user ? home : undefined),
    openModalsFor: (user) => modals.filter((v) => v.userId === user),
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    postMessageAs: async (user, channel, text, opts) => {
      const m = add({ user, channel, text, ...(opts?.threadTs ? { thread_ts: opts.threadTs } : {}) });
      return { ts: m.ts, eventId: 'Ev1', delivery: record('postMessageAs', user, channel, text, opts) };
    },
    editMessageAs: async (user, channel, ts, text) => {
      const m = messages.find((x) => x.ts === ts);
      if (m) Object.assign(m, { text, edited: { user, ts: '1' } });
      return record('editMessageAs', user, channel, ts, text);
    },
    deleteMessageAs: async (user, channel, ts) => {
      const i = messages.findIndex((x) => x.ts === ts);
      if (i >= 0) messages.splice(i, 1);
      return record('deleteMessageAs', user, channel, ts);
    },
    clickButton: async (...args) => record('clickButton', ...args),
    runSlashCommand: async (...args) => record('runSlashCommand', ...args),
    openAppHome: async (user) => {
      home = { id: 'V0HOME', type: 'home', userId: user, view: { type: 'home', blocks: [] } };
      return record('openAppHome', user);
    },
    submitView: async (...args) => record('submitView', ...args),
  };

  return {
    sandbox,
    calls,
    add,
    emit,
    ephemerals,
    modals,
    listenerCount: () => listeners.size,
    setDelivery: (d: DeliveryResult) => {
      delivery = d;
    },
  };
}
