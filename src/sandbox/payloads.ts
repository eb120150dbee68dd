import { SANDBOX_BOT_NAME, SANDBOX_TEAM_DOMAIN } from './default-workspace.js';
import type { IdSource } from './ids.js';
import type { SandboxChannel, SandboxUser } from './types.js';
import type { StoredMessage, StoredView } from './workspace-store.js';

/** The identities every payload repeats. */
export interface PayloadContext {
  teamId: string;
  appId: string;
  botId: string;
  botUserId: string;
  /** The verification token Slack puts in payloads (deprecated but still sent). */
  verificationToken: string;
  ids: IdSource;
  now: () => number;
}

export function botProfile(ctx: PayloadContext): Record<string, unknown> {
  const icon = (size: number, kind = 'bot') =>
    `https://a.slack-edge.com/80588/img/plugins/app/${kind}_${size}.png`;
  return {
    id: ctx.botId,
    deleted: false,
    name: SANDBOX_BOT_NAME,
    updated: 1_700_000_000,
    app_id: ctx.appId,
    icons: { image_36: icon(36), image_48: icon(48), image_72: icon(72, 'service') },
    team_id: ctx.teamId,
  };
}

/** Slack turns a plain `text` post into one rich_text block; events and responses carry it. */
export function richTextBlocks(text: string, blockId: string): unknown[] {
  return [
    {
      type: 'rich_text',
      block_id: blockId,
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
    },
  ];
}

export function channelType(channel: SandboxChannel | undefined): string {
  if (channel?.id.startsWith('D')) return 'im';
  return channel?.isPrivate ? 'group' : 'channel';
}

/** The `event_callback` wrapper, with the bot's authorization like a single-workspace install. */
export function eventCallback(ctx: PayloadContext, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: ctx.verificationToken,
    team_id: ctx.teamId,
    api_app_id: ctx.appId,
    event,
    type: 'event_callback',
    event_id: ctx.ids.eventId(),
    event_time: Math.floor(ctx.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ctx.teamId,
        user_id: ctx.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(`${ctx.teamId}:${ctx.appId}`).toString('base64url')}`,
  };
}

/** The message fields of a stored message as Slack puts them into events (no thread bookkeeping). */
export function messageEventFields(message: StoredMessage): Record<string, unknown> {
  const {
    channel: _channel,
    reply_count: _replyCount,
    latest_reply: _latestReply,
    reply_users: _replyUsers,
    reply_users_count: _replyUsersCount,
    ...rest
  } = message;
  return rest;
}

export function messageEvent(
  message: StoredMessage,
  channel: SandboxChannel | undefined,
): Record<string, unknown> {
  return {
    ...messageEventFields(message),
    channel: message.channel,
    event_ts: message.ts,
    channel_type: channelType(channel),
  };
}

export function userRef(ctx: PayloadContext, user: SandboxUser): Record<string, unknown> {
  return { id: user.id, username: user.name, name: user.name, team_id: ctx.teamId };
}

export function teamRef(ctx: PayloadContext): Record<string, unknown> {
  return { id: ctx.teamId, domain: SANDBOX_TEAM_DOMAIN };
}

/** A view object as views.* return it and interaction payloads embed it. */
export function viewObject(ctx: PayloadContext, view: StoredView): Record<string, unknown> {
  const v = view.view;
  const isHome = view.type === 'home';
  return {
    id: view.id,
    team_id: ctx.teamId,
    type: view.type,
    ...(isHome ? {} : { title: v.title ?? null }),
    submit: v.submit ?? null,
    close: v.close ?? null,
    blocks: v.blocks ?? [],
    private_metadata: v.private_metadata ?? '',
    callback_id: v.callback_id ?? '',
    state: v.state ?? { values: {} },
    hash: view.hash,
    clear_on_close: v.clear_on_close ?? false,
    notify_on_close: v.notify_on_close ?? false,
    root_view_id: (v.root_view_id as string | undefined) ?? view.id,
    previous_view_id: v.previous_view_id ?? null,
    app_id: ctx.appId,
    external_id: view.externalId,
    app_installed_team_id: ctx.teamId,
    bot_id: ctx.botId,
  };
}

/** Slack stores a generated block_id on every block the app sent without one. */
export function withBlockIds(blocks: unknown[] | undefined, ids: IdSource): unknown[] | undefined {
  return blocks?.map((block) =>
    block && typeof block === 'object' && !('block_id' in block)
      ? { ...block, block_id: ids.random(5) }
      : block,
  );
}
