import { SANDBOX_BOT_NAME, SANDBOX_TEAM_NAME } from './default-workspace.js';
import {
  type Args,
  type Body,
  fail,
  openDm,
  resolveChannel,
  type SandboxContext,
  str,
} from './sandbox-context.js';
import type { SandboxChannel, SandboxUser } from './types.js';
import type { StoredMessage } from './workspace-store.js';

export function authTest(ctx: SandboxContext): Body {
  const p = ctx.payload;
  return {
    ok: true,
    url: `${ctx.url()}/`,
    team: SANDBOX_TEAM_NAME,
    user: SANDBOX_BOT_NAME,
    team_id: p.teamId,
    user_id: p.botUserId,
    bot_id: p.botId,
    is_enterprise_install: false,
  };
}

/** Offset and label of a time zone at a given instant, as users.info reports them. */
function tzInfo(tz: string, at: Date): { offset: number; label: string } {
  const part = (style: 'shortOffset' | 'long') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d+)(?::(\d+))?/.exec(part('shortOffset'));
  const offset = match
    ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60)
    : 0;
  return { offset, label: part('long') };
}

export function userObject(ctx: SandboxContext, user: SandboxUser): Body {
  const { offset, label } = tzInfo(user.tz, new Date(ctx.now()));
  const image = (size: number) => `${ctx.url()}/avatars/${user.id}_${size}.png`;
  const [first = '', ...rest] = user.realName.split(' ');
  return {
    id: user.id,
    team_id: ctx.payload.teamId,
    name: user.name,
    deleted: false,
    color: '9f69e7',
    real_name: user.realName,
    tz: user.tz,
    tz_label: label,
    tz_offset: offset,
    profile: {
      title: '',
      phone: '',
      skype: '',
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.displayName,
      display_name_normalized: user.displayName,
      status_text: '',
      status_emoji: '',
      status_expiration: 0,
      avatar_hash: `g${user.id.slice(-6).toLowerCase()}`,
      ...(user.isBot
        ? { api_app_id: ctx.payload.appId, always_active: true, bot_id: ctx.payload.botId }
        : {}),
      ...(user.email ? { email: user.email } : {}),
      first_name: first,
      last_name: rest.join(' '),
      image_24: image(24),
      image_32: image(32),
      image_48: image(48),
      image_72: image(72),
      image_192: image(192),
      image_512: image(512),
      status_text_canonical: '',
      team: ctx.payload.teamId,
    },
    is_admin: user.isAdmin,
    is_owner: user.isOwner,
    is_primary_owner: user.isOwner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: 1_700_000_000,
    is_email_confirmed: !user.isBot,
    who_can_share_contact_card: 'EVERYONE',
    ...(user.isBot ? {} : { has_2fa: false }),
  };
}

export function usersInfo(ctx: SandboxContext, args: Args): Body {
  const user = ctx.store.users.get(str(args, 'user') ?? '');
  return user ? { ok: true, user: userObject(ctx, user) } : fail('user_not_found');
}

export function usersList(ctx: SandboxContext): Body {
  const members = [...ctx.store.users.values()].map((u) => userObject(ctx, u));
  return {
    ok: true,
    members,
    cache_ts: Math.floor(ctx.now() / 1000),
    response_metadata: { next_cursor: '' },
  };
}

export function usersGetPresence(ctx: SandboxContext, args: Args): Body {
  const user = ctx.store.users.get(str(args, 'user') ?? '');
  return user ? { ok: true, presence: user.presence } : fail('user_not_found');
}

function channelObject(ctx: SandboxContext, c: SandboxChannel): Body {
  if (c.id.startsWith('D')) {
    const other = c.memberIds.find((m) => m !== ctx.payload.botUserId);
    return {
      id: c.id,
      created: 1_700_000_000,
      is_im: true,
      is_org_shared: false,
      user: other,
      is_user_deleted: false,
    };
  }
  const text = { value: '', creator: '', last_set: 0 };
  return {
    id: c.id,
    name: c.name,
    is_channel: !c.isPrivate,
    is_group: c.isPrivate,
    is_im: false,
    is_mpim: false,
    is_private: c.isPrivate,
    created: 1_700_000_000,
    is_archived: c.isArchived,
    is_general: c.name === 'general',
    unlinked: 0,
    name_normalized: c.name,
    is_shared: false,
    is_org_shared: false,
    is_member: c.memberIds.includes(ctx.payload.botUserId),
    creator: '',
    topic: text,
    purpose: text,
    num_members: c.memberIds.length,
  };
}

export function conversationsInfo(ctx: SandboxContext, args: Args): Body {
  const channel = resolveChannel(ctx, str(args, 'channel'));
  return channel ? { ok: true, channel: channelObject(ctx, channel) } : fail('channel_not_found');
}

export function conversationsMembers(ctx: SandboxContext, args: Args): Body {
  const channel = resolveChannel(ctx, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  // Paged like Slack (default 100, at most 1000 per page): a caller that ignores next_cursor misses members.
  const limit = Math.min(1000, Math.max(1, Number(str(args, 'limit') ?? 100) || 100));
  const cursor = str(args, 'cursor');
  const start = cursor ? Number(Buffer.from(cursor, 'base64').toString().replace('offset:', '')) || 0 : 0;
  const members = channel.memberIds.slice(start, start + limit);
  const next =
    start + limit < channel.memberIds.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
  return { ok: true, members, response_metadata: { next_cursor: next } };
}

/** Offset-based cursors: enough for callers that follow next_cursor until it is empty. */
function page(items: StoredMessage[], args: Args, defaultLimit: number, maxLimit = 1000): Body {
  // Slack caps the page size whatever the caller asks for.
  const limit = Math.min(maxLimit, Math.max(1, Number(str(args, 'limit') ?? defaultLimit) || defaultLimit));
  const cursor = str(args, 'cursor');
  const start = cursor ? Number(Buffer.from(cursor, 'base64').toString().replace('offset:', '')) || 0 : 0;
  const slice = items.slice(start, start + limit).map(({ channel: _c, ...m }) => structuredClone(m));
  const hasMore = start + limit < items.length;
  const next = hasMore ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
  return { ok: true, messages: slice, has_more: hasMore, response_metadata: { next_cursor: next } };
}

export function conversationsReplies(ctx: SandboxContext, args: Args): Body {
  const channel = resolveChannel(ctx, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const ts = str(args, 'ts') ?? '';
  const target = ctx.store.findMessage(channel.id, ts);
  if (!target) return fail('thread_not_found');
  return page(ctx.store.thread(channel.id, target.thread_ts ?? target.ts), args, 1000);
}

export function conversationsHistory(ctx: SandboxContext, args: Args): Body {
  const channel = resolveChannel(ctx, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const roots = (ctx.store.messages.get(channel.id) ?? []).filter(
    (m) => !m.thread_ts || m.thread_ts === m.ts,
  );
  const oldest = str(args, 'oldest') ?? '0';
  const latest = str(args, 'latest') ?? '9999999999.999999';
  const inRange = roots.filter((m) => m.ts > oldest && m.ts <= latest).reverse();
  return { ...page(inRange, args, 100), pin_count: 0 };
}

export function conversationsOpen(ctx: SandboxContext, args: Args): Body {
  const users = (str(args, 'users') ?? '').split(',').filter(Boolean);
  if (users.length !== 1) return fail(users.length === 0 ? 'users_list_not_supplied' : 'not_implemented');
  const userId = users[0] ?? '';
  if (!ctx.store.users.has(userId)) return fail('user_not_found');
  const existed = ctx.store.channels.has(`D${userId.slice(1)}`);
  const channel = openDm(ctx, userId);
  return { ok: true, ...(existed ? { no_op: true, already_open: true } : {}), channel: { id: channel.id } };
}
