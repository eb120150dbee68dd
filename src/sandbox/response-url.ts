import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { invalidBlocksBody, validateBlocks } from './block-kit-validation.js';
import { readBody, sendJson } from './http-util.js';
import { changedEvent, deletedEvent, deliverIfMember, postAsBot, rootTs } from './message-ops.js';
import { richTextBlocks, withBlockIds } from './payloads.js';
import type { SandboxContext } from './sandbox-context.js';
import type { ResponseTarget } from './workspace-store.js';

/** Slack allows five posts to a response_url within 30 minutes. */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export function issueResponseUrl(
  ctx: SandboxContext,
  target: Omit<ResponseTarget, 'uses' | 'expiresAt' | 'answers'>,
): string {
  const id = `${ctx.payload.teamId}/${ctx.ids.random(12)}/${ctx.ids.random(24)}`;
  ctx.store.responseUrls.set(id, {
    ...target,
    uses: 0,
    expiresAt: ctx.now() + RESPONSE_URL_TTL_MS,
    answers: [],
  });
  return `${ctx.url()}/response/${id}`;
}

const responseBody = z.object({
  text: z.string().optional(),
  blocks: z.array(z.unknown()).optional(),
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  replace_original: z.union([z.boolean(), z.string()]).optional(),
  delete_original: z.union([z.boolean(), z.string()]).optional(),
  thread_ts: z.string().optional(),
});
export type ResponseMessage = z.infer<typeof responseBody>;

const truthy = (v: boolean | string | undefined) => v === true || v === 'true';

/** Applies one response (from a response_url POST or a slash command's ack body). */
export function applyResponse(
  ctx: SandboxContext,
  target: ResponseTarget,
  msg: ResponseMessage,
): Record<string, unknown> {
  const text = msg.text ?? '';
  if (msg.blocks) {
    const errors = validateBlocks(msg.blocks, 50);
    if (errors.length) return invalidBlocksBody(errors);
  }
  const channel = ctx.store.channels.get(target.channel);
  if (!channel) return { ok: false, error: 'channel_not_found' };
  const ephemeral = target.ephemeral
    ? ctx.store.ephemerals.find((e) => e.ts === target.messageTs && e.user === target.userId)
    : undefined;
  const original =
    !target.ephemeral && target.messageTs ? ctx.store.findMessage(channel.id, target.messageTs) : undefined;

  // A slash command has no original message: Slack ignores replace_original there and posts the
  // answer as a new message (the second message agents then see), so that is what happens here too.
  const fromCommand = !target.messageTs && !target.ephemeral;
  if (!fromCommand && (truthy(msg.delete_original) || truthy(msg.replace_original))) {
    if (ephemeral) {
      if (truthy(msg.delete_original))
        ctx.store.ephemerals.splice(ctx.store.ephemerals.indexOf(ephemeral), 1);
      else Object.assign(ephemeral, { text, blocks: msg.blocks });
      ctx.store.emit({ kind: 'ephemeral', user: target.userId });
      return { ok: true };
    }
    if (!original) return { ok: false, error: 'message_not_found' };
    const before = structuredClone(original);
    if (truthy(msg.delete_original)) {
      ctx.store.removeMessage(channel.id, original.ts);
      void deliverIfMember(ctx, channel, deletedEvent(ctx, before, channel));
    } else {
      Object.assign(original, {
        text,
        blocks: withBlockIds(msg.blocks, ctx.ids) ?? richTextBlocks(text, ctx.ids.random(4)),
      });
      original.edited = { user: ctx.payload.botId, ts: ctx.ids.nextTs() };
      void deliverIfMember(ctx, channel, changedEvent(ctx, before, original, channel));
    }
    ctx.store.emit({ kind: 'message', channel: channel.id, ts: original.ts });
    return { ok: true };
  }
  if (!text && !msg.blocks) return { ok: false, error: 'no_text' };
  const threadTs = rootTs(ctx, channel.id, msg.thread_ts);
  if (msg.response_type === 'in_channel') {
    postAsBot(ctx, { channel, text, blocks: msg.blocks, threadTs });
    return { ok: true };
  }
  ctx.store.ephemerals.push({
    ts: ctx.ids.nextTs(),
    channel: channel.id,
    user: target.userId,
    text,
    ...(msg.blocks ? { blocks: msg.blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  ctx.store.emit({ kind: 'ephemeral', user: target.userId });
  return { ok: true };
}

/** POST /response/<id>: JSON body as Bolt's respond() sends it. */
export async function handleResponseUrl(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
) {
  const target = ctx.store.responseUrls.get(id);
  const raw = await readBody(req);
  if (!target) return sendJson(res, 404, { ok: false, error: 'invalid_url' });
  if (target.uses >= RESPONSE_URL_MAX_USES || ctx.now() > target.expiresAt) {
    return sendJson(res, 404, { ok: false, error: 'expired_url' });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return sendJson(res, 400, { ok: false, error: 'invalid_payload' });
  }
  const parsed = responseBody.safeParse(json);
  if (!parsed.success) return sendJson(res, 400, { ok: false, error: 'invalid_payload' });
  target.uses += 1;
  const result = applyResponse(ctx, target, parsed.data);
  if (result.ok) {
    target.answers.push(parsed.data);
    ctx.store.emit({ kind: 'response', url: id });
  }
  sendJson(res, result.ok ? 200 : 400, result);
}

/** The id part of a response URL this workspace issued. */
export function responseUrlId(url: string): string | undefined {
  return /\/response\/(.+)$/.exec(url)?.[1];
}
