import type {
  ChatGetPermalinkArguments,
  ChatPostMessageArguments,
  ChatUpdateArguments,
  ConversationsHistoryArguments,
  ConversationsRepliesArguments,
  ReactionsAddArguments,
  ReactionsRemoveArguments,
} from '@slack/web-api';
import { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { webApiError } from './slack-errors.js';

/** A page of channel or thread messages, as far as the outbox reads it (outbox-marker.ts). */
export interface MessagePage {
  messages?: unknown[];
  response_metadata?: { next_cursor?: string };
}

/**
 * The Slack calls the outbox makes, and what it reads of their answers. A `WebClient` is one (tests, the
 * relay bench); Baton itself makes them from a thread of their own (slack-call-thread.ts). Failures are
 * thrown as the WebClient throws them: an error whose `code`, `retryAfter` and `data.error` say what
 * happened (slack-errors.ts).
 */
export interface OutboxClient {
  chat: {
    postMessage(args: ChatPostMessageArguments): Promise<{ ts?: string }>;
    update(args: ChatUpdateArguments): Promise<unknown>;
    getPermalink(args: ChatGetPermalinkArguments): Promise<{ permalink?: string }>;
  };
  reactions: {
    add(args: ReactionsAddArguments): Promise<unknown>;
    remove(args: ReactionsRemoveArguments): Promise<unknown>;
  };
  conversations: {
    history(args: ConversationsHistoryArguments): Promise<MessagePage>;
    replies(args: ConversationsRepliesArguments): Promise<MessagePage>;
  };
}

/** What the outbox's client is made from, in whichever thread makes the calls. */
export const slackClientData = z.object({
  botToken: z.string(),
  apiUrl: z.string(),
  timeoutMs: z.number().int().positive(),
});
export type SlackClientData = z.infer<typeof slackClientData>;

/** The outbox's WebClient: retries and rate limits come back to the outbox, which defers the post and keeps order. */
export function outboxWebClient(data: SlackClientData): WebClient {
  return new WebClient(data.botToken, {
    slackApiUrl: data.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: data.timeoutMs,
  });
}

export const slackCallMethod = z.enum([
  'chat.postMessage',
  'chat.update',
  'chat.getPermalink',
  'reactions.add',
  'reactions.remove',
  'conversations.history',
  'conversations.replies',
]);
export type SlackCallMethod = z.infer<typeof slackCallMethod>;

/**
 * One call handed to the thread: the Web API method, its arguments as the WebClient takes them, and the
 * time (epoch ms) after which it must not be started, because the outbox will have given up on it by then.
 */
export const slackCall = z.object({
  method: slackCallMethod,
  args: z.record(z.string(), z.unknown()),
  notAfter: z.number(),
});
export type SlackCall = z.infer<typeof slackCall>;

/** What the outbox reads of each method's answer: all the thread sends back (a post's echo is left behind). */
export const slackCallAnswer = {
  'chat.postMessage': z.object({ ts: z.string().optional() }),
  'chat.update': z.object({}),
  'chat.getPermalink': z.object({ permalink: z.string().optional() }),
  'reactions.add': z.object({}),
  'reactions.remove': z.object({}),
  'conversations.history': messagePage(),
  'conversations.replies': messagePage(),
} satisfies Record<SlackCallMethod, z.ZodType>;

/** Makes one call and keeps what the outbox reads of its answer; a failure is thrown as the WebClient throws it. */
export async function callWebApi(
  client: WebClient,
  method: SlackCallMethod,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return slackCallAnswer[method].parse(await client.apiCall(method, args));
}

function messagePage() {
  return z.object({
    messages: z.array(z.unknown()).optional(),
    response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
  });
}

/** One error of a failure's chain (the WebClient's error, what it wraps, and so on). */
const errorLink = z.object({
  name: z.string().optional(),
  message: z.string(),
  code: z.string().optional(),
});

/**
 * A failed call as it crosses between threads. An Error loses its own fields when it is copied to
 * another thread, and those fields are what the outbox decides by (retry, defer, park) and what a person
 * reading the log needs (the HTTP status, the network error under a request failure).
 */
export const slackCallFailure = errorLink.extend({
  retryAfter: z.number().optional(),
  statusCode: z.number().optional(),
  data: z.object({ error: z.string().optional() }).optional(),
  causes: z.array(errorLink).optional(),
});
export type SlackCallFailure = z.infer<typeof slackCallFailure>;

/** What the thread answers for every call: never a throw, so nothing the outbox needs is lost on the way. */
export const slackCallOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.record(z.string(), z.unknown()) }),
  z.object({ ok: z.literal(false), failure: slackCallFailure }),
]);
export type SlackCallOutcome = z.infer<typeof slackCallOutcome>;

/** Read leniently, like slack-errors.ts reads it: a field of another type reads as absent. */
const thrownError = webApiError.extend({
  name: z.string().optional().catch(undefined),
  message: z.string().catch('Slack call failed'),
  statusCode: z.number().optional().catch(undefined),
  // The WebClient keeps what it wrapped in `original`, Node's fetch in `cause`.
  original: z.unknown().optional(),
  cause: z.unknown().optional(),
});

/** How many wrapped errors cross with a failure: a request error, fetch's TypeError, the socket error. */
const MAX_CAUSES = 3;

/** The fields of a thrown WebClient error that cross to the other thread, with what it wraps. */
export function toSlackCallFailure(error: unknown): SlackCallFailure {
  const top = thrownError.safeParse(error);
  if (!top.success) return { message: String(error) };
  const { original, cause, ...fields } = top.data;
  const causes: z.infer<typeof errorLink>[] = [];
  let next = original ?? cause;
  while (next !== undefined && causes.length < MAX_CAUSES) {
    const link = thrownError.safeParse(next);
    if (!link.success) break;
    causes.push({ name: link.data.name, message: link.data.message, code: link.data.code });
    next = link.data.original ?? link.data.cause;
  }
  return causes.length > 0 ? { ...fields, causes } : fields;
}

/** The error the WebClient would have thrown, rebuilt from its fields on this side (what it wrapped as `cause`). */
export function fromSlackCallFailure(failure: SlackCallFailure): Error {
  const { message, name, causes = [], ...fields } = failure;
  const cause = causes.reduceRight<Error | undefined>(
    (inner, link) =>
      Object.assign(new Error(link.message, inner ? { cause: inner } : undefined), {
        ...(link.name ? { name: link.name } : {}),
        ...(link.code ? { code: link.code } : {}),
      }),
    undefined,
  );
  return Object.assign(new Error(message, cause ? { cause } : undefined), fields, name ? { name } : {});
}
