import type { IncomingMessage } from 'node:http';
import type { DeliveryResult, SandboxMessage } from '../types.js';
import { parseWith, readJson, UiError } from './http-io.js';
import { requireChannel, requireHuman } from './read-routes.js';
import {
  clickBody,
  clickViewBody,
  commandBody,
  deleteBody,
  editBody,
  postBody,
  presenceBody,
  splitCommand,
  submitViewBody,
  type UiSandbox,
  userQuery,
} from './schemas.js';

/** How much of the app's response body the browser gets to see. */
const BODY_PREVIEW = 8000;

/** What the browser learns about a delivery to Baton: enough to show an error toast or a command result. */
export function summarizeDelivery(delivery: DeliveryResult) {
  // The core may say why nothing was delivered (e.g. no app URL, bot not in channel).
  const reason = (delivery as DeliveryResult & { error?: unknown }).error;
  return {
    status: delivery.status,
    ok: delivery.status >= 200 && delivery.status < 300,
    body: delivery.body.slice(0, BODY_PREVIEW),
    ...(typeof reason === 'string' && reason ? { error: reason } : {}),
  };
}

/** Runs a sandbox call, turning its refusals (thrown errors) into 400s the page can show. */
async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UiError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new UiError(400, 'rejected', `${what}: ${message}`);
  }
}

function findMessage(sandbox: UiSandbox, channel: string, ts: string): SandboxMessage | undefined {
  const roots = sandbox.readChannel(channel);
  const top = roots.find((m) => m.ts === ts);
  if (top) return top;
  for (const root of roots) {
    if (root.reply_count === 0) continue;
    try {
      const hit = sandbox.readThread(channel, root.ts).find((m) => m.ts === ts);
      if (hit) return hit;
    } catch {
      // not a thread root
    }
  }
  return undefined;
}

function requireOwnMessage(sandbox: UiSandbox, user: string, channel: string, ts: string): SandboxMessage {
  const message = findMessage(sandbox, channel, ts);
  if (!message) throw new UiError(404, 'message_not_found', `no message ${ts} in ${channel}`);
  if (message.user !== user || message.bot_id) {
    throw new UiError(403, 'cant_update_message', 'you can only change your own messages');
  }
  return message;
}

type ActionRoute = (sandbox: UiSandbox, req: IncomingMessage) => Promise<unknown>;

/** POST routes under /ui/, keyed by path. Each validates its JSON body before touching the sandbox. */
export const actionRoutes: Record<string, ActionRoute> = {
  '/ui/post': async (sandbox, req) => {
    const b = parseWith(postBody, await readJson(req));
    requireHuman(sandbox, b.user);
    requireChannel(sandbox, b.channel);
    const opts = b.threadTs ? { threadTs: b.threadTs } : undefined;
    const r = await attempt('post', () => sandbox.postMessageAs(b.user, b.channel, b.text, opts));
    return { ts: r.ts, delivery: summarizeDelivery(r.delivery) };
  },
  '/ui/edit': async (sandbox, req) => {
    const b = parseWith(editBody, await readJson(req));
    requireHuman(sandbox, b.user);
    requireChannel(sandbox, b.channel);
    requireOwnMessage(sandbox, b.user, b.channel, b.ts);
    const d = await attempt('edit', () => sandbox.editMessageAs(b.user, b.channel, b.ts, b.text));
    return { delivery: summarizeDelivery(d) };
  },
  '/ui/delete': async (sandbox, req) => {
    const b = parseWith(deleteBody, await readJson(req));
    requireHuman(sandbox, b.user);
    requireChannel(sandbox, b.channel);
    requireOwnMessage(sandbox, b.user, b.channel, b.ts);
    const d = await attempt('delete', () => sandbox.deleteMessageAs(b.user, b.channel, b.ts));
    return { delivery: summarizeDelivery(d) };
  },
  '/ui/click': async (sandbox, req) => {
    const b = parseWith(clickBody, await readJson(req));
    requireHuman(sandbox, b.user);
    requireChannel(sandbox, b.channel);
    const opts: { value?: string; ephemeral?: boolean } = {};
    if (b.value !== undefined) opts.value = b.value;
    if (b.ephemeral) opts.ephemeral = true;
    const d = await attempt('click', () =>
      sandbox.clickButton(b.user, b.channel, b.messageTs, b.actionId, opts),
    );
    return { delivery: summarizeDelivery(d) };
  },
  '/ui/click-view': async (sandbox, req) => {
    const b = parseWith(clickViewBody, await readJson(req));
    requireHuman(sandbox, b.user);
    const click = sandbox.clickViewButton?.bind(sandbox);
    if (!click) throw new UiError(501, 'not_supported', 'this sandbox cannot click buttons inside views');
    const d = await attempt('click', () => click(b.user, b.viewId, b.actionId));
    return { delivery: summarizeDelivery(d) };
  },
  '/ui/command': async (sandbox, req) => {
    const b = parseWith(commandBody, await readJson(req));
    requireHuman(sandbox, b.user);
    requireChannel(sandbox, b.channel);
    const { command, text } = splitCommand(b.text);
    const opts = b.threadTs ? { command, threadTs: b.threadTs } : { command };
    const d = await attempt(command, () => sandbox.runSlashCommand(b.user, b.channel, text, opts));
    return { command, delivery: summarizeDelivery(d) };
  },
  // The page was (re)loaded: like Slack, the user's ephemeral messages do not survive that.
  '/ui/reload': async (sandbox, req) => {
    const b = parseWith(userQuery, await readJson(req));
    requireHuman(sandbox, b.user);
    sandbox.reloadClient(b.user);
    return {};
  },
  '/ui/home': async (sandbox, req) => {
    const b = parseWith(userQuery, await readJson(req));
    requireHuman(sandbox, b.user);
    const d = await attempt('app home', () => sandbox.openAppHome(b.user));
    return { delivery: summarizeDelivery(d), view: sandbox.homeViewFor(b.user) ?? null };
  },
  '/ui/submit-view': async (sandbox, req) => {
    const b = parseWith(submitViewBody, await readJson(req));
    requireHuman(sandbox, b.user);
    const open = sandbox.openModalsFor(b.user).some((v) => v.id === b.viewId);
    if (!open) throw new UiError(404, 'view_not_found', `no open view ${b.viewId} for ${b.user}`);
    const d = await attempt('submit', () => sandbox.submitView(b.user, b.viewId, b.values));
    return { delivery: summarizeDelivery(d) };
  },
  '/ui/presence': async (sandbox, req) => {
    const b = parseWith(presenceBody, await readJson(req));
    requireHuman(sandbox, b.user);
    sandbox.setUserPresence(b.user, b.presence);
    return { presence: b.presence };
  },
};
