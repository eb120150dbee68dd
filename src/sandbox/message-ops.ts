import { botProfile, messageEvent, messageEventFields, richTextBlocks, withBlockIds } from './payloads.js';
import type { SandboxContext } from './sandbox-context.js';
import type { DeliveryResult, SandboxChannel } from './types.js';
import type { StoredMessage } from './workspace-store.js';

export interface NewMessage {
  channel: SandboxChannel;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  metadata?: StoredMessage['metadata'];
}

/** Thread replies point at the root even when the caller named a reply's ts. */
export function rootTs(
  ctx: SandboxContext,
  channel: string,
  threadTs: string | undefined,
): string | undefined {
  if (!threadTs) return undefined;
  const target = ctx.store.findMessage(channel, threadTs);
  if (!target) return undefined;
  return target.thread_ts ?? target.ts;
}

function store(ctx: SandboxContext, message: StoredMessage): StoredMessage {
  ctx.store.addMessage(message);
  ctx.store.emit({ kind: 'message', channel: message.channel, ts: message.ts });
  if (message.thread_ts) ctx.store.emit({ kind: 'message', channel: message.channel, ts: message.thread_ts });
  return message;
}

function threadFields(ctx: SandboxContext, m: NewMessage): Partial<StoredMessage> {
  if (!m.threadTs) return {};
  const root = ctx.store.findMessage(m.channel.id, m.threadTs);
  return { thread_ts: m.threadTs, parent_user_id: root?.user };
}

/**
 * The bot's own post. Slack echoes it to the app as a plain `message` event (user = bot user,
 * bot_id, no subtype), which is what Bolt's ignoreSelf relies on.
 */
export function postAsBot(ctx: SandboxContext, m: NewMessage): StoredMessage {
  const p = ctx.payload;
  const ts = ctx.ids.nextTs();
  const message: StoredMessage = {
    bot_id: p.botId,
    type: 'message',
    text: m.text,
    user: p.botUserId,
    ts,
    app_id: p.appId,
    blocks: withBlockIds(m.blocks, ctx.ids) ?? richTextBlocks(m.text, ctx.ids.random(4)),
    team: p.teamId,
    bot_profile: botProfile(p),
    ...threadFields(ctx, m),
    ...(m.metadata ? { metadata: m.metadata } : {}),
    channel: m.channel.id,
  };
  store(ctx, message);
  void deliverIfMember(ctx, m.channel, messageEvent(message, m.channel));
  return message;
}

/** A person's post; resolves once the app has answered the event delivery. */
export async function postAsHuman(
  ctx: SandboxContext,
  userId: string,
  m: NewMessage,
): Promise<{ message: StoredMessage; eventId: string; delivery: DeliveryResult }> {
  const ts = ctx.ids.nextTs();
  const message: StoredMessage = {
    client_msg_id: crypto.randomUUID(),
    type: 'message',
    text: m.text,
    user: userId,
    ts,
    team: ctx.payload.teamId,
    blocks: richTextBlocks(m.text, ctx.ids.random(4)),
    ...threadFields(ctx, m),
    channel: m.channel.id,
  };
  store(ctx, message);
  const { eventId, delivery } = await deliverIfMember(ctx, m.channel, messageEvent(message, m.channel));
  return { message, eventId, delivery };
}

/** Slack only sends message events for conversations the bot is in. */
export async function deliverIfMember(
  ctx: SandboxContext,
  channel: SandboxChannel,
  event: Record<string, unknown>,
): Promise<{ eventId: string; delivery: DeliveryResult }> {
  if (!channel.memberIds.includes(ctx.payload.botUserId)) {
    return { eventId: '', delivery: { status: 0, body: '', headers: {}, error: 'bot_not_in_channel' } };
  }
  const body = ctx.eventBody(event);
  return { eventId: String(body.event_id), delivery: await ctx.deliverBody(body) };
}

/** message_changed, carrying the new and previous message like the captured Slack event. */
export function changedEvent(
  ctx: SandboxContext,
  before: StoredMessage,
  after: StoredMessage,
  channel: SandboxChannel,
) {
  const ts = ctx.ids.nextTs();
  return {
    type: 'message',
    subtype: 'message_changed',
    message: messageEventFields(after),
    previous_message: messageEventFields(before),
    channel: channel.id,
    hidden: true,
    ts,
    event_ts: ts,
    channel_type: messageEvent(after, channel).channel_type,
  };
}

export function deletedEvent(ctx: SandboxContext, before: StoredMessage, channel: SandboxChannel) {
  const ts = ctx.ids.nextTs();
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: channel.id,
    previous_message: messageEventFields(before),
    deleted_ts: before.ts,
    ts,
    event_ts: ts,
    channel_type: messageEvent(before, channel).channel_type,
  };
}
