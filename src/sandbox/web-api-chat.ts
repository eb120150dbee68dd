import { invalidBlocksBody, validateBlocks } from './block-kit-validation.js';
import { changedEvent, deletedEvent, deliverIfMember, postAsBot, rootTs } from './message-ops.js';
import { messageEventFields, richTextBlocks, withBlockIds } from './payloads.js';
import {
  type Args,
  type Body,
  fail,
  openDm,
  resolveChannel,
  type SandboxContext,
  str,
} from './sandbox-context.js';
import type { SandboxChannel } from './types.js';
import type { StoredMessage } from './workspace-store.js';

export const MAX_TEXT = 40_000;
const TRUNCATED = {
  warnings: ['message_truncated'],
  messages: [
    '[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters.',
  ],
};

type Content = { text: string; blocks?: unknown[]; truncated: boolean } | { error: Body };

/** text/blocks checks shared by every posting method; `truncate` is false for chat.update. */
export function parseContent(args: Args, truncate: boolean): Content {
  const text = str(args, 'text') ?? '';
  const blocks = args.blocks as unknown[] | undefined;
  const attachments = args.attachments as unknown[] | undefined;
  if (!text && (!blocks || blocks.length === 0) && (!attachments || attachments.length === 0)) {
    return { error: fail('no_text') };
  }
  if (blocks !== undefined) {
    const errors = validateBlocks(blocks, 50);
    if (errors.length) return { error: invalidBlocksBody(errors) };
  }
  if (text.length > MAX_TEXT) {
    if (!truncate) return { error: fail('msg_too_long') };
    return { text: text.slice(0, MAX_TEXT), blocks, truncated: true };
  }
  return { text, blocks, truncated: false };
}

type Target = { channel: SandboxChannel } | { error: Body };

/** The checks Slack makes before the bot may write into a conversation. */
export function writableChannel(ctx: SandboxContext, ref: string | undefined): Target {
  let channel = resolveChannel(ctx, ref);
  if (!channel && ref && ctx.store.users.has(ref)) {
    // Posting to a user ID lands in the DM with the bot, as on Slack.
    channel = openDm(ctx, ref);
  }
  if (!channel) return { error: fail('channel_not_found') };
  if (channel.isArchived) return { error: fail('is_archived') };
  if (!channel.memberIds.includes(ctx.payload.botUserId)) return { error: fail('not_in_channel') };
  return { channel };
}

/** The message as chat.* responses show it: no channel field, no thread bookkeeping. */
export function responseMessage(message: StoredMessage): Body {
  return messageEventFields(message);
}

export function chatPostMessage(ctx: SandboxContext, args: Args): Body {
  const target = writableChannel(ctx, str(args, 'channel'));
  if ('error' in target) return target.error;
  const content = parseContent(args, true);
  if ('error' in content) return content.error;
  const requested = str(args, 'thread_ts');
  const threadTs = rootTs(ctx, target.channel.id, requested);
  // Real Slack quietly posts to the channel; the sandbox is stricter so a lost root is noticed.
  if (requested && !threadTs) return fail('thread_not_found');
  const message = postAsBot(ctx, {
    channel: target.channel,
    text: content.text,
    blocks: content.blocks,
    threadTs,
    metadata: args.metadata as StoredMessage['metadata'],
  });
  return {
    ok: true,
    channel: target.channel.id,
    ts: message.ts,
    message: responseMessage(message),
    ...(content.truncated ? { response_metadata: TRUNCATED } : {}),
  };
}

function ownMessage(ctx: SandboxContext, args: Args, notMine: string) {
  const channel = resolveChannel(ctx, str(args, 'channel'));
  if (!channel) return { error: fail('channel_not_found') };
  const message = ctx.store.findMessage(channel.id, str(args, 'ts') ?? '');
  if (!message) return { error: fail('message_not_found') };
  if (message.user !== ctx.payload.botUserId) return { error: fail(notMine) };
  return { channel, message };
}

export function chatUpdate(ctx: SandboxContext, args: Args): Body {
  const found = ownMessage(ctx, args, 'cant_update_message');
  if ('error' in found) return found.error as Body;
  const content = parseContent(args, false);
  if ('error' in content) return content.error;
  const { channel, message } = found;
  const before = structuredClone(message);
  message.text = content.text;
  // Like Slack, an update without blocks drops the old ones and shows the text.
  message.blocks = withBlockIds(content.blocks, ctx.ids) ?? richTextBlocks(content.text, ctx.ids.random(4));
  if (args.metadata) message.metadata = args.metadata as StoredMessage['metadata'];
  message.edited = { user: ctx.payload.botId, ts: ctx.ids.nextTs() };
  ctx.store.emit({ kind: 'message', channel: channel.id, ts: message.ts });
  void deliverIfMember(ctx, channel, changedEvent(ctx, before, message, channel));
  const { ts: _ts, ...shown } = responseMessage(message);
  return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: shown };
}

export function chatDelete(ctx: SandboxContext, args: Args): Body {
  const found = ownMessage(ctx, args, 'cant_delete_message');
  if ('error' in found) return found.error as Body;
  const { channel, message } = found;
  ctx.store.removeMessage(channel.id, message.ts);
  ctx.store.emit({ kind: 'message', channel: channel.id, ts: message.ts });
  void deliverIfMember(ctx, channel, deletedEvent(ctx, message, channel));
  return { ok: true, channel: channel.id, ts: message.ts };
}

export function chatPostEphemeral(ctx: SandboxContext, args: Args): Body {
  const target = writableChannel(ctx, str(args, 'channel'));
  if ('error' in target) return target.error;
  const userId = str(args, 'user') ?? '';
  if (!ctx.store.users.has(userId)) return fail('user_not_found');
  if (!target.channel.memberIds.includes(userId)) return fail('user_not_in_channel');
  const content = parseContent(args, true);
  if ('error' in content) return content.error;
  const ts = ctx.ids.nextTs();
  const threadTs = rootTs(ctx, target.channel.id, str(args, 'thread_ts'));
  ctx.store.ephemerals.push({
    ts,
    channel: target.channel.id,
    user: userId,
    text: content.text,
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  ctx.store.emit({ kind: 'ephemeral', user: userId });
  return { ok: true, message_ts: ts, ...(content.truncated ? { response_metadata: TRUNCATED } : {}) };
}

export function chatGetPermalink(ctx: SandboxContext, args: Args): Body {
  const channel = resolveChannel(ctx, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const ts = str(args, 'message_ts') ?? '';
  if (!ctx.store.findMessage(channel.id, ts)) return fail('message_not_found');
  return { ok: true, channel: channel.id, permalink: `${ctx.url()}/#/${channel.id}/${ts}` };
}
