import { invalidBlocksBody, validateBlocks } from './block-kit-validation.js';
import { viewObject, withBlockIds } from './payloads.js';

const blockList = (view: Record<string, unknown>) => (Array.isArray(view.blocks) ? view.blocks : []);

import { type Args, type Body, fail, type SandboxContext, str } from './sandbox-context.js';
import type { StoredView } from './workspace-store.js';

/** Slack voids a trigger_id 3 seconds after the interaction that produced it, and after one use. */
export const TRIGGER_TTL_MS = 3000;
const MAX_MODAL_STACK = 3;

export function issueTrigger(ctx: SandboxContext, userId: string): string {
  const id = ctx.ids.triggerId();
  ctx.store.triggers.set(id, { userId, issuedAt: ctx.now(), used: false });
  return id;
}

function useTrigger(ctx: SandboxContext, args: Args): { userId: string } | { error: Body } {
  const id = str(args, 'trigger_id');
  const trigger = id ? ctx.store.triggers.get(id) : undefined;
  if (!trigger)
    return {
      error: fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] invalid `trigger_id`'] } }),
    };
  if (trigger.used || ctx.now() - trigger.issuedAt > TRIGGER_TTL_MS)
    return { error: fail('expired_trigger_id') };
  trigger.used = true;
  return { userId: trigger.userId };
}

function checkView(args: Args, type: 'home' | 'modal'): { view: Record<string, unknown> } | { error: Body } {
  const view = args.view as Record<string, unknown> | undefined;
  if (!view || typeof view !== 'object') {
    return {
      error: fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: view'] },
      }),
    };
  }
  if (view.type !== type) {
    return {
      error: fail('invalid_arguments', {
        response_metadata: { messages: [`[ERROR] must be ${type} [json-pointer:/view/type]`] },
      }),
    };
  }
  const errors = [...validateBlocks(view.blocks ?? [], 100, '/view/blocks'), ...viewFieldErrors(view, type)];
  if (errors.length) return { error: invalidBlocksBody(errors) };
  return { view };
}

const textOf = (field: unknown) =>
  field && typeof field === 'object' && 'text' in field && typeof field.text === 'string'
    ? field.text
    : undefined;

/** Slack's limits on a view's own fields (https://docs.slack.dev/reference/views), beyond its blocks. */
export function viewFieldErrors(view: Record<string, unknown>, type: 'home' | 'modal'): string[] {
  const errors: string[] = [];
  const max = (value: string | undefined, limit: number, pointer: string) => {
    if (value !== undefined && value.length > limit)
      errors.push(`[ERROR] must be less than ${limit + 1} characters [json-pointer:${pointer}]`);
  };
  if (typeof view.private_metadata === 'string') max(view.private_metadata, 3000, '/view/private_metadata');
  if (typeof view.callback_id === 'string') max(view.callback_id, 255, '/view/callback_id');
  if (type === 'modal') {
    const title = textOf(view.title);
    if (title === undefined) errors.push('[ERROR] missing required field: title [json-pointer:/view/title]');
    max(title, 24, '/view/title/text');
    max(textOf(view.submit), 24, '/view/submit/text');
    max(textOf(view.close), 24, '/view/close/text');
  }
  return errors;
}

function newHash(ctx: SandboxContext): string {
  return `${Math.floor(ctx.now() / 1000)}.${ctx.ids.random(8)}`;
}

function createView(
  ctx: SandboxContext,
  userId: string,
  type: 'home' | 'modal',
  view: Record<string, unknown>,
  previous?: string,
): StoredView {
  const id = ctx.ids.viewId();
  const stored: StoredView = {
    id,
    type,
    userId,
    hash: newHash(ctx),
    externalId: str(view, 'external_id') ?? '',
    view: {
      ...view,
      blocks: withBlockIds(blockList(view), ctx.ids),
      state: { values: {} },
      previous_view_id: previous ?? null,
    },
  };
  stored.view.root_view_id = previous ? (ctx.store.views.get(previous)?.view.root_view_id ?? previous) : id;
  ctx.store.views.set(id, stored);
  ctx.store.emit({ kind: 'view', userId });
  return stored;
}

export function viewsOpen(ctx: SandboxContext, args: Args): Body {
  const checked = checkView(args, 'modal');
  if ('error' in checked) return checked.error;
  const trigger = useTrigger(ctx, args);
  if ('error' in trigger) return trigger.error;
  const stored = createView(ctx, trigger.userId, 'modal', checked.view);
  ctx.store.modalStacks.set(trigger.userId, [stored.id]);
  return { ok: true, view: viewObject(ctx.payload, stored) };
}

export function viewsPush(ctx: SandboxContext, args: Args): Body {
  const checked = checkView(args, 'modal');
  if ('error' in checked) return checked.error;
  const trigger = useTrigger(ctx, args);
  if ('error' in trigger) return trigger.error;
  const stack = ctx.store.modalStacks.get(trigger.userId) ?? [];
  if (stack.length === 0) return fail('not_found');
  if (stack.length >= MAX_MODAL_STACK) return fail('push_limit_reached');
  const stored = createView(ctx, trigger.userId, 'modal', checked.view, stack[stack.length - 1]);
  stack.push(stored.id);
  return { ok: true, view: viewObject(ctx.payload, stored) };
}

export function viewsUpdate(ctx: SandboxContext, args: Args): Body {
  const viewId = str(args, 'view_id');
  const externalId = str(args, 'external_id');
  const existing = viewId
    ? ctx.store.views.get(viewId)
    : [...ctx.store.views.values()].find((v) => externalId && v.externalId === externalId);
  if (!existing) return fail('not_found');
  const checked = checkView(args, existing.type);
  if ('error' in checked) return checked.error;
  const hash = str(args, 'hash');
  if (hash && hash !== existing.hash) return fail('hash_conflict');
  return { ok: true, view: viewObject(ctx.payload, replaceView(ctx, existing, checked.view)) };
}

/** Swaps a view's content in place, keeping its id, root and position. */
export function replaceView(
  ctx: SandboxContext,
  existing: StoredView,
  view: Record<string, unknown>,
): StoredView {
  const { root_view_id, previous_view_id } = existing.view;
  existing.view = {
    ...view,
    blocks: withBlockIds(blockList(view), ctx.ids),
    state: { values: {} },
    root_view_id,
    previous_view_id,
  };
  existing.hash = newHash(ctx);
  existing.externalId = str(view, 'external_id') ?? existing.externalId;
  delete existing.errors;
  ctx.store.emit({ kind: 'view', userId: existing.userId });
  return existing;
}

export function viewsPublish(ctx: SandboxContext, args: Args): Body {
  const userId = str(args, 'user_id') ?? '';
  if (!ctx.store.users.has(userId)) {
    return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] invalid `user_id`'] } });
  }
  const checked = checkView(args, 'home');
  if ('error' in checked) return checked.error;
  const existingId = ctx.store.homeViews.get(userId);
  const existing = existingId ? ctx.store.views.get(existingId) : undefined;
  if (existing) {
    const hash = str(args, 'hash');
    if (hash && hash !== existing.hash) return fail('hash_conflict');
    return { ok: true, view: viewObject(ctx.payload, replaceView(ctx, existing, checked.view)) };
  }
  const stored = createView(ctx, userId, 'home', checked.view);
  ctx.store.homeViews.set(userId, stored.id);
  return { ok: true, view: viewObject(ctx.payload, stored) };
}
