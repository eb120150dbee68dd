import { WebClient } from '@slack/web-api';
import { workerData } from 'node:worker_threads';
import { z } from 'zod';
import { slackCall, slackCallAnswer, type SlackCallOutcome, toSlackCallFailure } from './outbox-client.js';

/** What the thread is started with (slack-call-thread.ts). */
export const slackThreadData = z.object({
  botToken: z.string(),
  apiUrl: z.string(),
  timeoutMs: z.number().int().positive(),
});
export type SlackThreadData = z.infer<typeof slackThreadData>;

/**
 * The thread's one client, made at its first call. This module is the thread's whole program (its own
 * composition root): the client lives as long as the thread, like the outbox's client before it did.
 */
let client: WebClient | undefined;

function threadClient(): WebClient {
  if (client) return client;
  const data = slackThreadData.parse(workerData);
  client = new WebClient(data.botToken, {
    slackApiUrl: data.apiUrl,
    // Retries and rate limits come back to the outbox, which defers the post and keeps order.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: data.timeoutMs,
  });
  return client;
}

/** Makes one Web API call; a failure is answered, not thrown, so its fields reach the outbox intact. */
export async function call(task: unknown): Promise<SlackCallOutcome> {
  const { method, args, notAfter } = slackCall.parse(task);
  // Started this late, the call could land after the outbox has written it off and checked for it.
  if (Date.now() > notAfter)
    return { ok: false, failure: { message: `${method} was not started in time`, code: 'slack_call_late' } };
  try {
    const answer = await threadClient().apiCall(method, args);
    return { ok: true, result: slackCallAnswer[method].parse(answer) };
  } catch (error) {
    return { ok: false, failure: toSlackCallFailure(error) };
  }
}
