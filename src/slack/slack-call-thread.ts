import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  fromSlackCallFailure,
  type MessagePage,
  type OutboxClient,
  type SlackCallMethod,
  slackCallOutcome,
} from './outbox-client.js';
import type { SlackThreadData } from './slack-call-worker.js';

/**
 * The outbox's Slack calls made from a thread of their own. Building a request, the HTTP client and
 * reading the answer cost 0.6–0.8 ms of CPU a post (docs/performance.md), about a third of what a relayed
 * customer line costs the event loop, which also acknowledges customers' messages: there it delayed
 * them. The thread does I/O only, so one is enough; many calls are in flight in it at once.
 *
 * A call lost with its thread (the thread crashed) fails as a request failure: the outbox retries it
 * after checking the channel for the post (outbox-marker.ts), exactly as after a timeout.
 */
export interface SlackCallThread extends OutboxClient {
  close(): Promise<void>;
}

/** More than the outbox ever has in flight (OUTBOX_CONCURRENCY lanes, each one call at a time). */
const CALLS_IN_FLIGHT = 64;

/** The thread's module: compiled (npm run build), or the TypeScript source through tsx. */
function threadModule(): string {
  const compiled = new URL('./slack-call-worker.js', import.meta.url);
  return fs.existsSync(fileURLToPath(compiled))
    ? compiled.href
    : new URL('./slack-call-thread-source.mjs', import.meta.url).href;
}

const posted = z.object({ ts: z.string().optional() });
const permalink = z.object({ permalink: z.string().optional() });
const messagePage = z.object({
  messages: z.array(z.unknown()).optional(),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

export function startSlackCallThread(options: SlackThreadData & { log: Logger }): SlackCallThread {
  const data: SlackThreadData = {
    botToken: options.botToken,
    apiUrl: options.apiUrl,
    timeoutMs: options.timeoutMs,
  };
  const pool = new Piscina({
    filename: threadModule(),
    name: 'call',
    workerData: data,
    minThreads: 1,
    maxThreads: 1,
    concurrentTasksPerWorker: CALLS_IN_FLIGHT,
    idleTimeout: Number.POSITIVE_INFINITY,
    // The thread's event loop must run between tasks: its calls are I/O that completes there.
    atomics: 'disabled',
  });
  // A thread that dies fails the calls it was making (Piscina rejects them) and a new one is started.
  // Calls carry no abort signal: Piscina gives a thread running an abortable task nothing else to do.
  pool.on('error', (err: unknown) => options.log.error({ err }, 'Slack call thread failed'));

  async function call(method: SlackCallMethod, args: object): Promise<Record<string, unknown>> {
    const outcome = slackCallOutcome.parse(await pool.run({ method, args }));
    if (!outcome.ok) throw fromSlackCallFailure(outcome.failure);
    return outcome.result;
  }
  const page = async (method: SlackCallMethod, args: object): Promise<MessagePage> =>
    messagePage.parse(await call(method, args));

  return {
    chat: {
      postMessage: async (args) => posted.parse(await call('chat.postMessage', args)),
      update: (args) => call('chat.update', args),
      getPermalink: async (args) => permalink.parse(await call('chat.getPermalink', args)),
    },
    reactions: {
      add: (args) => call('reactions.add', args),
      remove: (args) => call('reactions.remove', args),
    },
    conversations: {
      history: (args) => page('conversations.history', args),
      replies: (args) => page('conversations.replies', args),
    },
    close: () => pool.destroy(),
  };
}
