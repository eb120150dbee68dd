import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import { WebClient } from '@slack/web-api';
import {
  fromSlackCallFailure,
  type OutboxClient,
  slackCallAnswer,
  type SlackCallMethod,
  type SlackCallOutcome,
  slackCallOutcome,
} from './outbox-client.js';
import type { SlackThreadData } from './slack-call-worker.js';

/** A method's arguments, as the WebClient's `apiCall` takes them. */
type CallArgs = Record<string, unknown>;

/**
 * The outbox's Slack calls made from a thread of their own. Building a request, the HTTP client and
 * reading the answer cost 0.6–0.8 ms of CPU a post (docs/performance.md), about a third of what a relayed
 * customer line costs the event loop, which also acknowledges customers' messages: there it delayed
 * them. The thread does I/O only, so one is enough; many calls are in flight in it at once. Copying each
 * call and its answer between threads costs CPU of its own: the loop is freed, the process does not do
 * less (measured in docs/performance.md).
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

/**
 * How long a call may wait for the thread before it must not be started (a thread that is starting waits
 * for its modules; one that cannot start never takes it). The outbox gives up on a call after this plus
 * the call's own timeout, so a call the thread starts late can never land after the outbox has written
 * it off and checked the channel for it (outbox-marker.ts): then it would be posted twice.
 */
const START_WITHIN_MS = 5_000;
const GIVE_UP_MARGIN_MS = 2_000;
/** After the thread failed, calls are made on the event loop for this long before it is tried again. */
const COOL_OFF_MS = 30_000;

export function startSlackCallThread(
  options: SlackThreadData & {
    log: Logger;
    /** The thread's module (tests give one that fails); Baton's own by default. */
    module?: string;
    /** How long a call may wait to be started, and the margin after its timeout (tests shorten them). */
    startWithinMs?: number;
    giveUpMarginMs?: number;
  },
): SlackCallThread {
  const data: SlackThreadData = {
    botToken: options.botToken,
    apiUrl: options.apiUrl,
    timeoutMs: options.timeoutMs,
  };
  const startWithinMs = options.startWithinMs ?? START_WITHIN_MS;
  const giveUpMarginMs = options.giveUpMarginMs ?? GIVE_UP_MARGIN_MS;
  const pool = new Piscina({
    filename: options.module ?? threadModule(),
    name: 'call',
    workerData: data,
    minThreads: 1,
    maxThreads: 1,
    concurrentTasksPerWorker: CALLS_IN_FLIGHT,
    idleTimeout: Number.POSITIVE_INFINITY,
    // The thread's event loop must run between tasks: its calls are I/O that completes there.
    atomics: 'disabled',
  });
  // Piscina rejects the calls of a thread that dies and starts another; a thread that cannot start
  // (its module fails to load) would take no call at all. Calls carry no abort signal: Piscina gives a
  // thread running an abortable task nothing else to do.
  pool.on('error', (err: unknown) => options.log.error({ err }, 'Slack call thread failed'));
  // The same calls on the event loop, while the thread is cooling off after a failure.
  let fallback: WebClient | undefined;
  let coolUntil = 0;

  async function inThread(method: SlackCallMethod, args: CallArgs): Promise<SlackCallOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            Object.assign(new Error(`${method}: no answer from the Slack call thread`), {
              code: 'slack_call_thread_timeout',
            }),
          ),
        startWithinMs + data.timeoutMs + giveUpMarginMs,
      );
    });
    try {
      const task = { method, args, notAfter: Date.now() + startWithinMs };
      return slackCallOutcome.parse(await Promise.race([pool.run(task), gaveUp]));
    } catch (error) {
      options.log.error(
        { err: error, method },
        'Slack call thread failed; calls go from the event loop for a while',
      );
      coolUntil = performance.now() + COOL_OFF_MS;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function call(method: SlackCallMethod, typedArgs: object): Promise<Record<string, unknown>> {
    // The typed arguments as the plain record the WebClient's apiCall (and a copy to the thread) takes.
    const args: CallArgs = { ...typedArgs };
    if (performance.now() < coolUntil) {
      fallback ??= new WebClient(data.botToken, {
        slackApiUrl: data.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: data.timeoutMs,
      });
      return slackCallAnswer[method].parse(await fallback.apiCall(method, args));
    }
    const outcome = await inThread(method, args);
    if (!outcome.ok) throw fromSlackCallFailure(outcome.failure);
    return outcome.result;
  }
  const page = async (method: 'conversations.history' | 'conversations.replies', args: object) =>
    slackCallAnswer[method].parse(await call(method, args));

  return {
    chat: {
      postMessage: async (args) =>
        slackCallAnswer['chat.postMessage'].parse(await call('chat.postMessage', args)),
      update: (args) => call('chat.update', args),
      getPermalink: async (args) =>
        slackCallAnswer['chat.getPermalink'].parse(await call('chat.getPermalink', args)),
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
