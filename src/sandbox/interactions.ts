import { teamRef, userRef, viewObject } from './payloads.js';
import { applyResponse, issueResponseUrl, type ResponseMessage, responseUrlId } from './response-url.js';
import { openDm, type SandboxContext } from './sandbox-context.js';
import type { DeliveryResult, SandboxUser } from './types.js';
import { issueTrigger } from './web-api-views.js';

type Obj = Record<string, unknown>;

export class SandboxUsageError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'SandboxUsageError';
  }
}

function requireUser(ctx: SandboxContext, userId: string): SandboxUser {
  const user = ctx.store.users.get(userId);
  if (!user) throw new SandboxUsageError('user_not_found', `sandbox: no user ${userId}`);
  return user;
}

/** Finds a button by action_id in actions blocks and section accessories. */
function findButton(ctx: SandboxContext, blocks: unknown[] | undefined, actionId: string) {
  for (const block of (blocks ?? []) as Obj[]) {
    const candidates = [...((block.elements as Obj[] | undefined) ?? []), block.accessory as Obj | undefined];
    const element = candidates.find((e) => e?.type === 'button' && e.action_id === actionId);
    if (!element) continue;
    // Slack fills in block ids the app left out when it stores a message.
    block.block_id ??= ctx.ids.random(5);
    return { blockId: String(block.block_id), element };
  }
  return undefined;
}

function actionOf(ctx: SandboxContext, found: { blockId: string; element: Obj }, value?: string): Obj {
  const { element } = found;
  return {
    action_id: element.action_id,
    block_id: found.blockId,
    text: element.text,
    value: value ?? element.value,
    ...(element.style ? { style: element.style } : {}),
    type: 'button',
    action_ts: ctx.ids.nextTs(),
  };
}

function common(ctx: SandboxContext, user: SandboxUser, type: string): Obj {
  const p = ctx.payload;
  return {
    type,
    user: userRef(p, user),
    api_app_id: p.appId,
    token: p.verificationToken,
    trigger_id: issueTrigger(ctx, user.id),
    team: teamRef(p),
    enterprise: null,
    is_enterprise_install: false,
  };
}

export async function clickButton(
  ctx: SandboxContext,
  userId: string,
  channelId: string,
  messageTs: string,
  actionId: string,
  opts: { value?: string; ephemeral?: boolean } = {},
): Promise<DeliveryResult> {
  const user = requireUser(ctx, userId);
  const channel = ctx.store.channels.get(channelId);
  if (!channel) throw new SandboxUsageError('channel_not_found', `sandbox: no channel ${channelId}`);
  const ephemeral = opts.ephemeral
    ? ctx.store.ephemerals.find((e) => e.ts === messageTs && e.user === userId && e.channel === channelId)
    : undefined;
  const message = opts.ephemeral ? undefined : ctx.store.findMessage(channelId, messageTs);
  const source = ephemeral ?? message;
  if (!source)
    throw new SandboxUsageError('message_not_found', `sandbox: no message ${messageTs} in ${channelId}`);
  const found = findButton(ctx, source.blocks, actionId);
  if (!found)
    throw new SandboxUsageError('action_not_found', `sandbox: no button "${actionId}" in ${messageTs}`);
  const threadTs = source.thread_ts;
  const { channel: _c, ...shownMessage } = message ?? { channel: '' };
  const payload: Obj = {
    ...common(ctx, user, 'block_actions'),
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: Boolean(opts.ephemeral),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    },
    channel: { id: channel.id, name: channel.name },
    ...(message ? { message: structuredClone(shownMessage) } : {}),
    state: { values: {} },
    response_url: issueResponseUrl(ctx, {
      userId,
      channel: channelId,
      messageTs,
      ephemeral: Boolean(opts.ephemeral),
    }),
    actions: [actionOf(ctx, found, opts.value)],
  };
  return ctx.delivery.interaction(payload);
}

function requireView(ctx: SandboxContext, userId: string, viewId: string) {
  const view = ctx.store.views.get(viewId);
  if (!view || view.userId !== userId)
    throw new SandboxUsageError('not_found', `sandbox: no view ${viewId} for ${userId}`);
  return view;
}

/** A button inside a Home tab or modal: container type "view", the view instead of a message. */
export async function clickViewButton(ctx: SandboxContext, userId: string, viewId: string, actionId: string) {
  const user = requireUser(ctx, userId);
  const view = requireView(ctx, userId, viewId);
  const found = findButton(ctx, view.view.blocks as unknown[] | undefined, actionId);
  if (!found)
    throw new SandboxUsageError('action_not_found', `sandbox: no button "${actionId}" in view ${viewId}`);
  return ctx.delivery.interaction({
    ...common(ctx, user, 'block_actions'),
    container: { type: 'view', view_id: viewId },
    view: viewObject(ctx.payload, view),
    state: view.view.state ?? { values: {} },
    actions: [actionOf(ctx, found)],
  });
}

/** Slash command: form fields in Slack's order; a non-empty ack body is shown to the user. */
export async function runSlashCommand(
  ctx: SandboxContext,
  userId: string,
  channelId: string,
  text: string,
  opts: { command?: string } = {},
): Promise<DeliveryResult> {
  const user = requireUser(ctx, userId);
  const channel = ctx.store.channels.get(channelId);
  if (!channel) throw new SandboxUsageError('channel_not_found', `sandbox: no channel ${channelId}`);
  const p = ctx.payload;
  const target = { userId, channel: channelId, ephemeral: false };
  const responseUrl = issueResponseUrl(ctx, target);
  const result = await ctx.delivery.command({
    token: p.verificationToken,
    team_id: p.teamId,
    team_domain: String(teamRef(p).domain),
    channel_id: channel.id,
    channel_name: channel.id.startsWith('D') ? 'directmessage' : channel.name,
    user_id: user.id,
    user_name: user.name,
    command: opts.command ?? '/baton',
    text,
    api_app_id: p.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: issueTrigger(ctx, user.id),
  });
  const body = result.body.trim();
  if (result.status >= 200 && result.status < 300 && body) {
    const answer = parseAckMessage(body);
    const stored = ctx.store.responseUrls.get(responseUrlId(responseUrl) ?? '');
    applyResponse(ctx, { ...target, uses: 0, expiresAt: 0, answers: [] }, answer);
    stored?.answers.push(answer);
  }
  return { ...result, responseUrl };
}

function parseAckMessage(body: string): ResponseMessage {
  try {
    const json = JSON.parse(body) as unknown;
    if (json && typeof json === 'object') return json as ResponseMessage;
  } catch {
    // Plain text acks are shown as they are.
  }
  return { text: body };
}

export async function openAppHome(ctx: SandboxContext, userId: string): Promise<DeliveryResult> {
  requireUser(ctx, userId);
  const dm = openDm(ctx, userId);
  const homeId = ctx.store.homeViews.get(userId);
  const home = homeId ? ctx.store.views.get(homeId) : undefined;
  const event = {
    type: 'app_home_opened',
    user: userId,
    channel: dm.id,
    tab: 'home',
    event_ts: ctx.ids.nextTs(),
    ...(home ? { view: viewObject(ctx.payload, home) } : {}),
  };
  return ctx.deliverBody(ctx.eventBody(event));
}

export { common, requireUser, requireView };
