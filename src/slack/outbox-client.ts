import type {
  ChatGetPermalinkArguments,
  ChatPostMessageArguments,
  ChatUpdateArguments,
  ConversationsHistoryArguments,
  ConversationsRepliesArguments,
  ReactionsAddArguments,
  ReactionsRemoveArguments,
} from '@slack/web-api';
import { z } from 'zod';

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

/** One call handed to the thread: the Web API method and its arguments, as the WebClient takes them. */
export const slackCall = z.object({
  method: slackCallMethod,
  args: z.record(z.string(), z.unknown()),
});
export type SlackCall = z.infer<typeof slackCall>;

/**
 * A failed call as it crosses between threads. An Error loses its own fields when it is copied to
 * another thread, and those fields are what the outbox decides by (retry, defer, park).
 */
export const slackCallFailure = z.object({
  message: z.string(),
  code: z.string().optional(),
  retryAfter: z.number().optional(),
  data: z.object({ error: z.string().optional() }).optional(),
});
export type SlackCallFailure = z.infer<typeof slackCallFailure>;

/** What the thread answers for every call: never a throw, so nothing the outbox needs is lost on the way. */
export const slackCallOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.record(z.string(), z.unknown()) }),
  z.object({ ok: z.literal(false), failure: slackCallFailure }),
]);
export type SlackCallOutcome = z.infer<typeof slackCallOutcome>;

/** The fields of a thrown WebClient error that cross to the other thread; anything else is a request failure. */
export function toSlackCallFailure(error: unknown): SlackCallFailure {
  const fields = z
    .object({
      message: z.string().catch('Slack call failed'),
      code: z.string().optional().catch(undefined),
      retryAfter: z.number().optional().catch(undefined),
      data: z
        .object({ error: z.string().optional().catch(undefined) })
        .optional()
        .catch(undefined),
    })
    .safeParse(error);
  return fields.success ? fields.data : { message: String(error) };
}

/** The error the WebClient would have thrown, rebuilt from its fields on this side. */
export function fromSlackCallFailure(failure: SlackCallFailure): Error {
  const { message, ...fields } = failure;
  return Object.assign(new Error(message), fields);
}
