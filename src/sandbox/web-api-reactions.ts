import { z } from 'zod';
import { type Args, type Body, fail, type SandboxContext } from './sandbox-context.js';
import type { SandboxChannel, SandboxReaction } from './types.js';
import type { StoredMessage } from './workspace-store.js';

/** Emoji names as Slack stores them: no colons, lower case, an optional skin tone suffix. */
export const EMOJI_NAME = /^[a-z0-9_+'-]{1,100}(::skin-tone-[2-6])?$/;
const MESSAGE_TS = /^\d+\.\d+$/;

// Form posts carry strings; a JSON body may carry the ts as a number, which Slack accepts too.
const scalar = z.union([z.string(), z.number()]).transform(String).optional();
const itemArgs = z.object({ channel: scalar, timestamp: scalar, name: scalar });

interface Item {
  channel: SandboxChannel;
  message: StoredMessage;
  name: string;
}

/**
 * The checks every reactions.* method makes: arguments first, then the conversation, then the
 * message (the order between them is ours; Slack does not document it). `withName` is false for reactions.get, which takes no name.
 */
function findItem(ctx: SandboxContext, args: Args, withName: boolean): Item | { error: Body } {
  const parsed = itemArgs.safeParse(args);
  if (!parsed.success) return { error: fail('invalid_arguments') };
  const { channel: ref, timestamp, name = '' } = parsed.data;
  if (!ref || !timestamp) return { error: fail('no_item_specified') };
  if (withName && !EMOJI_NAME.test(name)) return { error: fail('invalid_name') };
  if (!MESSAGE_TS.test(timestamp)) return { error: fail('bad_timestamp') };
  // Unlike chat.postMessage, reactions.* take only a conversation ID, never a #name.
  const channel = ctx.store.channels.get(ref);
  if (!channel) return { error: fail('channel_not_found') };
  if (!channel.memberIds.includes(ctx.payload.botUserId)) return { error: fail('not_in_channel') };
  // findMessage covers thread replies as well as roots, as chat.update does.
  const message = ctx.store.findMessage(channel.id, timestamp);
  if (!message) return { error: fail('message_not_found') };
  return { channel, message, name };
}

/** The agent view redraws the conversation holding the message (a reply refreshes its thread too). */
function announce(ctx: SandboxContext, item: Item): void {
  ctx.store.emit({ kind: 'message', channel: item.channel.id, ts: item.message.ts });
}

export function reactionsAdd(ctx: SandboxContext, args: Args): Body {
  const item = findItem(ctx, args, true);
  if ('error' in item) return item.error;
  // Only the bot token gets this far (web-api.ts checks it), so the reacting user is the bot.
  const user = ctx.payload.botUserId;
  const reactions = item.message.reactions ?? [];
  const existing = reactions.find((r) => r.name === item.name);
  if (existing?.users.includes(user)) return fail('already_reacted');
  if (existing) {
    existing.users.push(user);
    existing.count = existing.users.length;
  } else {
    // New names go last: Slack lists reactions in order of first use.
    reactions.push({ name: item.name, users: [user], count: 1 });
  }
  item.message.reactions = reactions;
  announce(ctx, item);
  return { ok: true };
}

export function reactionsRemove(ctx: SandboxContext, args: Args): Body {
  const item = findItem(ctx, args, true);
  if ('error' in item) return item.error;
  const user = ctx.payload.botUserId;
  const reactions = item.message.reactions ?? [];
  const existing = reactions.find((r) => r.name === item.name);
  if (!existing?.users.includes(user)) return fail('no_reaction');
  existing.users = existing.users.filter((u) => u !== user);
  existing.count = existing.users.length;
  const left: SandboxReaction[] = reactions.filter((r) => r.count > 0);
  // Slack drops the field rather than sending an empty list.
  if (left.length > 0) item.message.reactions = left;
  else delete item.message.reactions;
  announce(ctx, item);
  return { ok: true };
}

export function reactionsGet(ctx: SandboxContext, args: Args): Body {
  const item = findItem(ctx, args, false);
  if ('error' in item) return item.error;
  const { channel: _channel, ...message } = structuredClone(item.message);
  const permalink = `${ctx.url()}/#/${item.channel.id}/${message.ts}`;
  return { ok: true, type: 'message', channel: item.channel.id, message: { ...message, permalink } };
}
