import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InboxKind } from '../../storage/inbox-repository.js';

/**
 * What one Slack request is, read from its body: which id names it (so a redelivery collides),
 * and which lane it is worked in (so a thread's replies, edits and clicks keep their order).
 * Pure: no I/O.
 */

export type Classified =
  | { route: 'inbox'; kind: InboxKind; deliveryId: string; lane: string }
  /** Slack wants the answer in the acknowledgement itself (modal validation, option lists). */
  | { route: 'inline'; deliveryId: string }
  | { route: 'challenge'; challenge: string }
  | { route: 'ignore'; why: string };

const challenge = z.object({ type: z.literal('url_verification'), challenge: z.string() });

const threadOf = z.object({
  channel: z.string().min(1),
  ts: z.string().optional(),
  thread_ts: z.string().optional(),
  message: z.object({ ts: z.string().optional(), thread_ts: z.string().optional() }).optional(),
  previous_message: z.object({ thread_ts: z.string().optional() }).optional(),
});

const eventEnvelope = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().min(1),
  event: z
    .object({
      type: z.string(),
      // Read loosely: these only decide whether the event is the bot's own, never whether it is stored.
      subtype: z.unknown().optional(),
      user: z.string().optional(),
      bot_id: z.unknown().optional(),
    })
    .passthrough(),
});

/** Who Baton's bot is in this workspace: its own messages come back as events. */
export interface BotIdentity {
  botUserId?: string | undefined;
  botId?: string | undefined;
}

/** Events about the bot that Bolt still hands to listeners (its ignoreSelf keeps them). */
const keptSelfEvents = new Set(['member_joined_channel', 'member_left_channel']);

/**
 * Bolt's ignoreSelf rule, applied before the event is stored: every post Baton makes comes back as a
 * message event that no listener would ever see, and recording it cost two disk syncs per post.
 */
function isOwnEvent(event: z.infer<typeof eventEnvelope>['event'], self: BotIdentity): boolean {
  if (
    event.type === 'message' &&
    event.subtype === 'bot_message' &&
    self.botId &&
    event.bot_id === self.botId
  )
    return true;
  return Boolean(self.botUserId) && event.user === self.botUserId && !keptSelfEvents.has(event.type);
}

const blockActions = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().optional(),
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z.object({ message_ts: z.string().optional(), thread_ts: z.string().optional() }).optional(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_ts: z.string().optional() })).min(1),
});

const slashCommand = z.object({
  command: z.string().min(1),
  user_id: z.string().min(1),
  trigger_id: z.string().optional(),
});

const inlineTypes = new Set(['view_submission', 'view_closed', 'block_suggestion', 'shortcut']);

function digest(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32);
}

function eventLane(event: Record<string, unknown>, fallback: string): string {
  const parsed = threadOf.safeParse(event);
  if (!parsed.success) {
    const user = typeof event.user === 'string' ? event.user : undefined;
    return user ? `user:${user}` : fallback;
  }
  const e = parsed.data;
  const root = e.thread_ts ?? e.message?.thread_ts ?? e.previous_message?.thread_ts ?? e.message?.ts ?? e.ts;
  return root ? `thread:${e.channel}:${root}` : `channel:${e.channel}`;
}

export function classifyDelivery(body: Record<string, unknown>, self: BotIdentity = {}): Classified {
  const hello = challenge.safeParse(body);
  if (hello.success) return { route: 'challenge', challenge: hello.data.challenge };
  if (body.type === 'ssl_check' || body.ssl_check !== undefined) return { route: 'ignore', why: 'ssl_check' };
  // Slack stopped sending events for a minute (over 30,000 an hour); it wants a 200, and an admin to know.
  if (body.type === 'app_rate_limited') return { route: 'ignore', why: 'app_rate_limited' };

  const event = eventEnvelope.safeParse(body);
  if (event.success) {
    if (isOwnEvent(event.data.event, self)) return { route: 'ignore', why: 'own event' };
    const id = `event:${event.data.event_id}`;
    return { route: 'inbox', kind: 'event', deliveryId: id, lane: eventLane(event.data.event, id) };
  }
  if (typeof body.type === 'string' && inlineTypes.has(body.type))
    return { route: 'inline', deliveryId: `${body.type}:${digest(body)}` };

  const action = blockActions.safeParse(body);
  if (action.success) {
    const a = action.data;
    // Slack does not redeliver interactions, but a proxy or a double click may; trigger_id is unique per click.
    const id = `action:${a.trigger_id ?? a.actions[0]?.action_ts ?? digest(body)}`;
    const root = a.message?.thread_ts ?? a.message?.ts ?? a.container?.thread_ts ?? a.container?.message_ts;
    const lane = a.channel && root ? `thread:${a.channel.id}:${root}` : `user:${a.user.id}`;
    return { route: 'inbox', kind: 'action', deliveryId: id, lane };
  }
  const command = slashCommand.safeParse(body);
  if (command.success) {
    const c = command.data;
    return {
      route: 'inbox',
      kind: 'command',
      deliveryId: `command:${c.trigger_id ?? digest(body)}`,
      lane: `user:${c.user_id}`,
    };
  }
  return { route: 'ignore', why: 'unknown payload' };
}
