import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from './http-util.js';
import type { RateLimiter } from './rate-limiter.js';
import { type MethodFaults, sleep } from './method-faults.js';
import { type Args, type Body, fail, type SandboxContext } from './sandbox-context.js';
import type { ApiCall } from './types.js';
import * as chat from './web-api-chat.js';
import * as reactions from './web-api-reactions.js';
import * as read from './web-api-read.js';
import * as views from './web-api-views.js';

export type MethodHandler = (ctx: SandboxContext, args: Args, token: string) => Body;

export const METHODS: Record<string, MethodHandler> = {
  'auth.test': (ctx) => read.authTest(ctx),
  'chat.postMessage': chat.chatPostMessage,
  'chat.update': chat.chatUpdate,
  'chat.delete': chat.chatDelete,
  'chat.postEphemeral': chat.chatPostEphemeral,
  'chat.getPermalink': chat.chatGetPermalink,
  'users.info': read.usersInfo,
  'users.list': (ctx) => read.usersList(ctx),
  'users.getPresence': read.usersGetPresence,
  'conversations.info': read.conversationsInfo,
  'conversations.members': read.conversationsMembers,
  'conversations.replies': read.conversationsReplies,
  'conversations.history': read.conversationsHistory,
  'conversations.open': read.conversationsOpen,
  'reactions.add': reactions.reactionsAdd,
  'reactions.remove': reactions.reactionsRemove,
  'reactions.get': reactions.reactionsGet,
  'views.open': views.viewsOpen,
  'views.push': views.viewsPush,
  'views.update': views.viewsUpdate,
  'views.publish': views.viewsPublish,
};

/** Fields the SDK JSON-stringifies into a single form value. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'] as const;
const jsonField = z.string().transform((raw, zctx) => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    zctx.addIssue({ code: 'custom', message: 'invalid JSON' });
    return z.NEVER;
  }
});

/** Form or JSON body to args; a malformed JSON field becomes Slack's `invalid_<field>_format`-style error. */
export function parseArgs(raw: string, contentType: string | undefined): { args: Args } | { error: string } {
  let args: Args;
  if (contentType?.startsWith('application/json')) {
    try {
      args = raw ? (JSON.parse(raw) as Args) : {};
    } catch {
      return { error: 'invalid_json' };
    }
  } else {
    args = Object.fromEntries(new URLSearchParams(raw));
  }
  for (const field of JSON_FIELDS) {
    if (typeof args[field] !== 'string') continue;
    const parsed = jsonField.safeParse(args[field]);
    if (!parsed.success) return { error: field === 'blocks' ? 'invalid_blocks_format' : `invalid_${field}` };
    args[field] = parsed.data;
  }
  return { args };
}

export interface WebApiDeps {
  ctx: SandboxContext;
  limiter: RateLimiter;
  faults: MethodFaults;
  botToken: string;
  appToken: string | undefined;
  /** Methods added by optional features (Socket Mode's apps.connections.open). */
  extraMethods?: Record<string, MethodHandler>;
}

export function createWebApiHandler(deps: WebApiDeps) {
  const { ctx } = deps;
  const methods = { ...METHODS, ...deps.extraMethods };

  function authError(method: string, token: string | undefined): string | undefined {
    if (!token) return 'not_authed';
    const wantsApp = method === 'apps.connections.open';
    if (token === (wantsApp ? deps.appToken : deps.botToken)) return undefined;
    if (token === deps.botToken || (deps.appToken && token === deps.appToken))
      return 'not_allowed_token_type';
    return 'invalid_auth';
  }

  return async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    const parsed = parseArgs(await readBody(req), req.headers['content-type']);
    const args = 'args' in parsed ? parsed.args : {};
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : (args.token as string | undefined);
    delete args.token;

    const record = (status: number, response: Body) => {
      const call: ApiCall = { method, args, token, at: ctx.now(), status, response };
      ctx.store.calls.push(call);
      ctx.store.emit({ kind: 'call', method });
    };
    const answer = (status: number, response: Body, headers: Record<string, string> = {}) => {
      sendJson(res, status, response, headers);
      record(status, response);
    };

    const handler = methods[method];
    if (!handler) return answer(200, fail('unknown_method'));
    const denied = authError(method, token);
    if (denied) return answer(200, fail(denied));
    if ('error' in parsed) return answer(200, fail(parsed.error));
    const fault = deps.faults.take(method);
    if (fault?.kind === 'slow') await sleep(fault.ms);
    if (fault?.kind === 'ratelimited')
      return answer(429, fail('ratelimited'), { 'retry-after': String(fault.retryAfterSeconds) });
    if (fault?.kind === 'error') return answer(200, fail(fault.error));
    if (fault?.kind === 'dropped') {
      // Status 0: no answer at all.
      res.socket?.destroy();
      return record(0, fail('connection_dropped'));
    }
    if (fault?.kind === 'late_success') {
      const body = handler(ctx, args, token ?? '');
      await sleep(fault.ms);
      return answer(200, body);
    }
    const retryAfter = deps.limiter.check(
      method,
      typeof args.channel === 'string' ? args.channel : undefined,
    );
    if (retryAfter !== undefined) {
      return answer(429, fail('ratelimited'), { 'retry-after': String(retryAfter) });
    }
    answer(200, handler(ctx, args, token ?? ''));
  };
}
