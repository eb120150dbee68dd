import type { WebClient } from '@slack/web-api';
import { workerData } from 'node:worker_threads';
import {
  callWebApi,
  outboxWebClient,
  slackCall,
  type SlackCallOutcome,
  slackClientData,
  toSlackCallFailure,
} from './outbox-client.js';

/**
 * The thread's one client, made at its first call. This module is the thread's whole program (its own
 * composition root): the client lives as long as the thread, like the outbox's client before it did.
 */
let client: WebClient | undefined;

function threadClient(): WebClient {
  client ??= outboxWebClient(slackClientData.parse(workerData));
  return client;
}

/**
 * Answers once the thread has loaded its modules and made its client (up to a second, more on a busy
 * machine): until then the outbox's calls wait for it briefly, then go from the event loop
 * (slack-call-thread.ts), so a slow start never holds a post for long.
 */
export function ready(): true {
  threadClient();
  return true;
}

/** Makes one Web API call; a failure is answered, not thrown, so its fields reach the outbox intact. */
export async function call(task: unknown): Promise<SlackCallOutcome> {
  const { method, args, notAfter } = slackCall.parse(task);
  // Started this late, the call could land after the outbox has written it off and checked for it.
  if (Date.now() > notAfter)
    return { ok: false, failure: { message: `${method} was not started in time`, code: 'slack_call_late' } };
  try {
    return { ok: true, result: await callWebApi(threadClient(), method, args) };
  } catch (error) {
    return { ok: false, failure: toSlackCallFailure(error) };
  }
}
