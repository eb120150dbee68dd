import type { Delivery } from './delivery.js';
import type { IdSource } from './ids.js';
import type { PayloadContext } from './payloads.js';
import type { DeliveryResult, SandboxChannel } from './types.js';
import type { WorkspaceStore } from './workspace-store.js';

/** Everything the Web API handlers and the simulated users share; built once per sandbox. */
export interface SandboxContext {
  store: WorkspaceStore;
  ids: IdSource;
  payload: PayloadContext;
  delivery: Delivery;
  now: () => number;
  /** Base URL of the sandbox, e.g. http://127.0.0.1:43123 (no trailing slash). */
  url: () => string;
  /** Wraps an event in the `event_callback` envelope (fresh event_id). */
  eventBody(event: Record<string, unknown>): Record<string, unknown>;
  /** Event deliveries run one after another, like a single Slack delivery queue per app. */
  deliverBody(body: Record<string, unknown>): Promise<DeliveryResult>;
}

export type Args = Record<string, unknown>;
export type Body = Record<string, unknown>;

export const fail = (error: string, extra: Body = {}): Body => ({ ok: false, error, ...extra });

export function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** Channel by ID, `#name` or bare name, as chat.postMessage accepts. */
export function resolveChannel(ctx: SandboxContext, ref: string | undefined): SandboxChannel | undefined {
  if (!ref) return undefined;
  const byId = ctx.store.channels.get(ref);
  if (byId) return byId;
  const name = ref.startsWith('#') ? ref.slice(1) : ref;
  return [...ctx.store.channels.values()].find((c) => c.name === name);
}

/** The DM channel between a user and the bot, created on first use (conversations.open). */
export function openDm(ctx: SandboxContext, userId: string): SandboxChannel {
  const id = `D${userId.slice(1)}`;
  let channel = ctx.store.channels.get(id);
  if (!channel) {
    channel = {
      id,
      name: id,
      isPrivate: true,
      isArchived: false,
      memberIds: [userId, ctx.payload.botUserId],
    };
    ctx.store.channels.set(id, channel);
  }
  return channel;
}
