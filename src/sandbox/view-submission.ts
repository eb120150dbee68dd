import { common, requireUser, requireView, SandboxUsageError } from './interactions.js';
import { viewObject, withBlockIds } from './payloads.js';
import type { SandboxContext } from './sandbox-context.js';
import type { DeliveryResult } from './types.js';
import { replaceView } from './web-api-views.js';
import type { StoredView } from './workspace-store.js';

/** Accepts `{ block: { action: "text" } }` as shorthand for a plain_text_input state. */
function normaliseValues(values: Record<string, Record<string, unknown>>) {
  return Object.fromEntries(
    Object.entries(values).map(([blockId, actions]) => [
      blockId,
      Object.fromEntries(
        Object.entries(actions).map(([actionId, v]) => [
          actionId,
          typeof v === 'string' ? { type: 'plain_text_input', value: v } : v,
        ]),
      ),
    ]),
  );
}

/**
 * view_submission, then what Slack does with the ack: `errors` keeps the modal open with the
 * messages shown, `update`/`push`/`clear` change the stack, an empty 200 closes the modal.
 */
export async function submitView(
  ctx: SandboxContext,
  userId: string,
  viewId: string,
  values: Record<string, Record<string, unknown>>,
): Promise<DeliveryResult> {
  const user = requireUser(ctx, userId);
  const view = requireView(ctx, userId, viewId);
  const stack = ctx.store.modalStacks.get(userId) ?? [];
  if (view.type !== 'modal' || !stack.includes(viewId)) {
    throw new SandboxUsageError('not_found', `sandbox: view ${viewId} is not an open modal of ${userId}`);
  }
  view.view.state = { values: normaliseValues(values) };
  const result = await ctx.delivery.interaction({
    ...common(ctx, user, 'view_submission'),
    view: viewObject(ctx.payload, view),
    response_urls: [],
  });
  if (result.status < 200 || result.status >= 300) return result;
  applyAck(ctx, view, stack, result.body.trim());
  ctx.store.emit({ kind: 'view', userId });
  return result;
}

function applyAck(ctx: SandboxContext, view: StoredView, stack: string[], body: string): void {
  let ack: Record<string, unknown>;
  try {
    ack = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  } catch {
    ack = {};
  }
  const next = ack.view as Record<string, unknown> | undefined;
  switch (ack.response_action) {
    case 'errors':
      view.errors = (ack.errors as Record<string, string> | undefined) ?? {};
      return;
    case 'update':
      if (next) replaceView(ctx, view, next);
      return;
    case 'push': {
      if (!next) return;
      const id = ctx.ids.viewId();
      ctx.store.views.set(id, {
        id,
        type: 'modal',
        userId: view.userId,
        hash: `${Math.floor(ctx.now() / 1000)}.${ctx.ids.random(8)}`,
        externalId: String(next.external_id ?? ''),
        view: {
          ...next,
          blocks: withBlockIds(next.blocks as unknown[] | undefined, ctx.ids) ?? [],
          state: { values: {} },
          root_view_id: view.view.root_view_id,
          previous_view_id: view.id,
        },
      });
      stack.push(id);
      return;
    }
    case 'clear':
      stack.splice(0, stack.length);
      return;
    default:
      stack.splice(stack.indexOf(view.id), 1);
  }
}
