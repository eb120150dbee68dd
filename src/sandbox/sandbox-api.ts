import { responseUrlId } from './response-url.js';
import {
  SANDBOX_APP_ID,
  SANDBOX_BOT_ID,
  SANDBOX_BOT_USER_ID,
  SANDBOX_HANDOFF_CHANNEL_ID,
  SANDBOX_TEAM_ID,
} from './default-workspace.js';
import {
  clickButton,
  clickViewButton,
  openAppHome,
  runSlashCommand,
  SandboxUsageError,
} from './interactions.js';
import { changedEvent, deletedEvent, deliverIfMember, postAsHuman, rootTs } from './message-ops.js';
import type { RateLimiter } from './rate-limiter.js';
import type { MethodFaults } from './method-faults.js';
import type { SandboxContext } from './sandbox-context.js';
import { signSlackRequest } from './signing.js';
import type { ApiCall, SandboxOptions, SandboxView, SlackSandbox } from './types.js';
import { submitView } from './view-submission.js';
import { type DeliveryRecord, waitForProbe } from './workspace-store.js';

/** Extras beyond types.ts, for tests and the agent view. */
export interface SlackSandboxExtras {
  clickViewButton(userId: string, viewId: string, actionId: string): ReturnType<typeof clickViewButton>;
  /** Every delivery attempt to the app, oldest first. */
  deliveries(): DeliveryRecord[];
  /** Validation errors the app returned for a modal (response_action: errors). */
  viewErrors(viewId: string): Record<string, string> | undefined;
}

export interface SandboxApiDeps {
  ctx: SandboxContext;
  limiter: RateLimiter;
  faults: MethodFaults;
  opts: SandboxOptions;
  setAppRequestUrl(url: string): void;
}

const clone = <T>(value: T): T => structuredClone(value);
const publicView = (v: {
  id: string;
  type: 'home' | 'modal';
  userId: string;
  view: Record<string, unknown>;
}): SandboxView => clone({ id: v.id, type: v.type, userId: v.userId, view: v.view });

/** The programmatic surface; url/apiUrl/close are filled in once the server listens. */
export function createSandboxApi(deps: SandboxApiDeps): SlackSandbox & SlackSandboxExtras {
  const { ctx, limiter } = deps;
  const { store } = ctx;
  const channelOrThrow = (id: string) => {
    const channel = store.channels.get(id);
    if (!channel) throw new SandboxUsageError('channel_not_found', `sandbox: no channel ${id}`);
    return channel;
  };
  const messageOrThrow = (channel: string, ts: string) => {
    const message = store.findMessage(channel, ts);
    if (!message) throw new SandboxUsageError('message_not_found', `sandbox: no message ${ts} in ${channel}`);
    return message;
  };
  const recentMethods = () =>
    store.calls
      .slice(-15)
      .map((c) => `${c.method}→${c.status}`)
      .join(', ') || 'none';

  return {
    url: '',
    apiUrl: '',
    teamId: SANDBOX_TEAM_ID,
    appId: SANDBOX_APP_ID,
    botId: SANDBOX_BOT_ID,
    botUserId: SANDBOX_BOT_USER_ID,
    handoffChannelId: SANDBOX_HANDOFF_CHANNEL_ID,
    setAppRequestUrl: deps.setAppRequestUrl,
    setRateLimits: (enabled) => limiter.setEnabled(enabled),
    // One mechanism for Slack weather: a forced 429 is a fault like any other.
    forceRateLimit: (method, times, retryAfter) =>
      deps.faults.set(method, { kind: 'ratelimited', retryAfterSeconds: retryAfter }, times),
    setFault: (method, fault, times) => deps.faults.set(method, fault, times),
    clearFaults: () => deps.faults.clear(),
    users: () => clone([...store.users.values()]),
    user: (id) => clone(store.users.get(id)),
    setUserPresence(id, presence) {
      const user = store.users.get(id);
      if (!user) throw new SandboxUsageError('user_not_found', `sandbox: no user ${id}`);
      user.presence = presence;
    },
    channels: () => clone([...store.channels.values()]),
    readChannel: (channel) =>
      clone((store.messages.get(channel) ?? []).filter((m) => !m.thread_ts || m.thread_ts === m.ts)),
    readThread: (channel, threadTs) => clone(store.thread(channel, threadTs)),
    reactionsOn(channel, ts) {
      channelOrThrow(channel);
      return clone(messageOrThrow(channel, ts).reactions ?? []);
    },
    ephemeralsFor: (userId) => clone(store.ephemerals.filter((e) => e.user === userId)),
    reloadClient(userId) {
      const kept = store.ephemerals.filter((e) => e.user !== userId);
      if (kept.length === store.ephemerals.length) return;
      store.ephemerals.splice(0, store.ephemerals.length, ...kept);
      store.emit({ kind: 'ephemeral', user: userId });
    },
    homeViewFor(userId) {
      const view = store.views.get(store.homeViews.get(userId) ?? '');
      return view ? publicView(view) : undefined;
    },
    openModalsFor: (userId) =>
      (store.modalStacks.get(userId) ?? []).flatMap((id) => {
        const view = store.views.get(id);
        return view ? [publicView(view)] : [];
      }),
    calls: () => [...store.calls],
    waitForCall: (predicate: (call: ApiCall) => boolean, timeoutMs = 5000) =>
      waitForProbe(
        store,
        () => store.calls.find(predicate),
        timeoutMs,
        () => `recent calls: ${recentMethods()}`,
      ),
    waitFor: (probe, timeoutMs = 5000) =>
      waitForProbe(store, probe, timeoutMs, () => `recent calls: ${recentMethods()}`),
    onChange: (listener) => store.onChange(listener),

    async postMessageAs(userId, channel, text, opts = {}) {
      if (!store.users.has(userId))
        throw new SandboxUsageError('user_not_found', `sandbox: no user ${userId}`);
      const target = channelOrThrow(channel);
      const threadTs = rootTs(ctx, target.id, opts.threadTs);
      if (opts.threadTs && !threadTs)
        throw new SandboxUsageError('thread_not_found', `sandbox: no thread ${opts.threadTs}`);
      const { message, eventId, delivery } = await postAsHuman(ctx, userId, {
        channel: target,
        text,
        threadTs,
      });
      return { ts: message.ts, eventId, delivery };
    },
    async editMessageAs(userId, channel, ts, text) {
      const target = channelOrThrow(channel);
      const message = messageOrThrow(channel, ts);
      if (message.user !== userId)
        throw new SandboxUsageError('cant_update_message', `sandbox: ${ts} is not ${userId}'s`);
      const before = clone(message);
      message.text = text;
      message.blocks = [
        {
          type: 'rich_text',
          block_id: ctx.ids.random(4),
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
        },
      ];
      message.edited = { user: userId, ts: ctx.ids.nextTs() };
      store.emit({ kind: 'message', channel, ts });
      return (await deliverIfMember(ctx, target, changedEvent(ctx, before, message, target))).delivery;
    },
    async deleteMessageAs(userId, channel, ts) {
      const target = channelOrThrow(channel);
      const message = messageOrThrow(channel, ts);
      if (message.user !== userId)
        throw new SandboxUsageError('cant_delete_message', `sandbox: ${ts} is not ${userId}'s`);
      store.removeMessage(channel, ts);
      store.emit({ kind: 'message', channel, ts });
      return (await deliverIfMember(ctx, target, deletedEvent(ctx, message, target))).delivery;
    },
    clickButton: (userId, channel, ts, actionId, opts) =>
      clickButton(ctx, userId, channel, ts, actionId, opts),
    clickViewButton: (userId, viewId, actionId) => clickViewButton(ctx, userId, viewId, actionId),
    runSlashCommand: (userId, channel, text, opts) => runSlashCommand(ctx, userId, channel, text, opts),
    responsesTo: (url) => [...(ctx.store.responseUrls.get(responseUrlId(url) ?? '')?.answers ?? [])],
    openAppHome: (userId) => openAppHome(ctx, userId),
    submitView: (userId, viewId, values) => submitView(ctx, userId, viewId, values),
    deliverEvent: (body, opts) => ctx.delivery.event(body, opts),
    sign: (rawBody, timestampSec) =>
      signSlackRequest(deps.opts.signingSecret, rawBody, timestampSec ?? Math.floor(ctx.now() / 1000)),
    deliveries: () => clone(store.deliveries),
    viewErrors: (viewId) => clone(store.views.get(viewId)?.errors),
    close: async () => undefined,
  };
}
