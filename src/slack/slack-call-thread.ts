import type { WebClient } from '@slack/web-api';
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import { threadModule } from '../lib/thread-module.js';
import {
  callWebApi,
  fromSlackCallFailure,
  type OutboxClient,
  outboxWebClient,
  slackCallAnswer,
  type SlackCallMethod,
  slackCallOutcome,
  type SlackClientData,
} from './outbox-client.js';

/**
 * The outbox's Slack calls made from a thread of their own. Building a request, the HTTP client and
 * reading the answer cost 0.6–0.8 ms of CPU a post (docs/performance.md), about a third of what a relayed
 * customer line costs the event loop, which also acknowledges customers' messages: there it delayed
 * them. The thread does I/O only, so one is enough; many calls are in flight in it at once. Copying each
 * call and its answer between threads costs CPU of its own: the loop is freed, the process does not do
 * less (measured in docs/performance.md).
 *
 * Calls go to the thread only once it has answered a readiness check. Those made while it loads its
 * modules (up to a second from sources, more on a busy machine) wait for it up to AWAIT_START_MS, then go
 * from the event loop: a slow start, or a thread that cannot start, never holds a post for long.
 * A call lost with its thread (the thread crashed) fails as a request failure: the outbox retries it
 * after checking the channel for the post (outbox-marker.ts), exactly as after a timeout.
 */
export interface SlackCallThread extends OutboxClient {
  /**
   * Settles true once the thread takes calls, false if it has not started within the start window or
   * failed to. Nothing waits for it: until the thread is up, calls are made on the event loop.
   */
  ready: Promise<boolean>;
  close(): Promise<void>;
}

/** More than the outbox ever has in flight (OUTBOX_CONCURRENCY lanes, each one call at a time). */
const CALLS_IN_FLIGHT = 64;

/**
 * How long a call may wait for the thread before it must not be started (a thread that hangs or is
 * restarting after a crash takes nothing), and how long the thread has to answer its readiness check
 * before the log says it has not started. The outbox gives up on a call after this plus
 * the call's own timeout, so a call the thread starts late can never land after the outbox has written
 * it off and checked the channel for it (outbox-marker.ts): then it would be posted twice.
 */
const START_WITHIN_MS = 5_000;
const GIVE_UP_MARGIN_MS = 2_000;
/**
 * The calls made while the thread starts wait this long for it, then go from the event loop. Waiting
 * keeps the loop free for customers while a just-started Baton catches up (with every call on the
 * loop, a kill -9 test that restarts Baton every second or two got through a third fewer lines); not
 * waiting longer keeps a slow start (tsx on a busy machine) from holding posts for seconds.
 */
const AWAIT_START_MS = 2_000;
/** After the thread failed, calls are made on the event loop for at least this long before it is tried again. */
const COOL_OFF_MS = 30_000;

export function startSlackCallThread(
  options: SlackClientData & {
    log: Logger;
    /** The thread's module (tests give one that fails); Baton's own by default. */
    module?: string;
    /** How long a call may wait to be started, and the margin after its timeout (tests shorten them). */
    startWithinMs?: number;
    giveUpMarginMs?: number;
    /** How long the calls made at start wait for the thread before they go from the event loop. */
    awaitStartMs?: number;
  },
): SlackCallThread {
  const data: SlackClientData = {
    botToken: options.botToken,
    apiUrl: options.apiUrl,
    timeoutMs: options.timeoutMs,
  };
  const startWithinMs = options.startWithinMs ?? START_WITHIN_MS;
  const giveUpMarginMs = options.giveUpMarginMs ?? GIVE_UP_MARGIN_MS;
  const entry = threadModule(import.meta.url, './slack-call-worker.js', './slack-call-thread-source.mjs');
  const pool = new Piscina({
    filename: options.module ?? entry.filename,
    execArgv: entry.execArgv,
    name: 'call',
    workerData: data,
    minThreads: 1,
    maxThreads: 1,
    concurrentTasksPerWorker: CALLS_IN_FLIGHT,
    idleTimeout: Number.POSITIVE_INFINITY,
    // The thread's event loop must run between tasks: its calls are I/O that completes there.
    atomics: 'disabled',
  });
  // The same calls on the event loop, while the thread is starting or cooling off after a failure.
  let fallback: WebClient | undefined;
  let up = false;
  let coolUntil = 0;
  let closed = false;
  // The readiness check handed to the thread and not yet answered: never more than one (a thread that
  // cannot start leaves it queued for good, and another would only queue behind it).
  let checking: Promise<boolean> | undefined;
  // Piscina rejects the calls of a thread that dies and starts another; a thread that cannot start
  // (its module fails to load) would take no call at all. Calls carry no abort signal: Piscina gives a
  // thread running an abortable task nothing else to do. A thread that died with no call in hand is
  // reported here only: calls wait for its replacement's readiness check.
  pool.on('error', (err: unknown) => {
    up = false;
    options.log.error({ err }, 'Slack call thread failed');
  });

  /** Asks the thread whether it is up; calls go to it from the answer on. */
  function checkThread(): Promise<boolean> {
    checking ??= pool.run(null, { name: 'ready' }).then(
      () => {
        if (!up) options.log.info('Slack call thread ready: the outbox calls Slack from it');
        up = true;
        checking = undefined;
        return true;
      },
      (error: unknown) => {
        checking = undefined;
        if (closed) return false;
        options.log.error(
          { err: error },
          'Slack call thread could not start; calls go from the event loop for a while',
        );
        coolUntil = performance.now() + COOL_OFF_MS;
        return false;
      },
    );
    return checking;
  }

  /** The thread's readiness within `ms`: its check's answer, or false when the time is up first. */
  function upWithin(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      timer.unref();
      void checkThread().then((isUp) => {
        clearTimeout(timer);
        resolve(isUp);
      });
    });
  }

  // The calls made at start wait for this: the thread up, or the wait at start over.
  let startWaitOver = false;
  const startWait = upWithin(options.awaitStartMs ?? AWAIT_START_MS).then(() => {
    startWaitOver = true;
  });

  const ready = upWithin(startWithinMs).then((isUp) => {
    // Still checking: the time ran out, rather than the thread failing to start (logged as it failed).
    if (!isUp && checking && !closed)
      options.log.error(
        { startWithinMs },
        'Slack call thread has not started in time; calls go from the event loop until it does',
      );
    return isUp;
  });

  /** Makes the call in the thread; a thread that fails or does not answer in time sends calls here for a while. */
  async function inThread(method: SlackCallMethod, args: object): Promise<Record<string, unknown>> {
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
    let outcome;
    try {
      const task = { method, args, notAfter: Date.now() + startWithinMs };
      outcome = slackCallOutcome.parse(await Promise.race([pool.run(task), gaveUp]));
    } catch (error) {
      options.log.error(
        { err: error, method },
        'Slack call thread failed; calls go from the event loop for a while',
      );
      up = false;
      coolUntil = performance.now() + COOL_OFF_MS;
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (!outcome.ok) throw fromSlackCallFailure(outcome.failure);
    return outcome.result;
  }

  /** One call, in the thread once it is up, else (starting, cooling off) on the event loop. */
  async function call(method: SlackCallMethod, args: object): Promise<Record<string, unknown>> {
    if (!startWaitOver) await startWait;
    const cooled = performance.now() >= coolUntil;
    if (up && cooled) return inThread(method, args);
    // Calls in a lane go one at a time, so one going here and the next in the thread keep their order.
    if (cooled) void checkThread();
    fallback ??= outboxWebClient(data);
    return callWebApi(fallback, method, { ...args });
  }

  // Each answer is read into its method's type here; the thread (or callWebApi) already kept only those fields.
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
      history: async (args) =>
        slackCallAnswer['conversations.history'].parse(await call('conversations.history', args)),
      replies: async (args) =>
        slackCallAnswer['conversations.replies'].parse(await call('conversations.replies', args)),
    },
    ready,
    close: () => {
      closed = true;
      return pool.destroy();
    },
  };
}
