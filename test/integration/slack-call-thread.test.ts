import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WebClient } from '@slack/web-api';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { callWebApi, outboxWebClient, type SlackCallMethod } from '../../src/slack/outbox-client.js';
import { classifySlackError } from '../../src/slack/slack-errors.js';
import { type SlackCallThread, startSlackCallThread } from '../../src/slack/slack-call-thread.js';

/**
 * The outbox's Slack calls made from their own thread, against the local Slack workspace and its
 * faults: answers and failures must reach the outbox as the same WebClient gives them in-process (what
 * the event-loop fallback uses), since the outbox decides by them (post, defer, park, retry).
 */
const botToken = 'xoxb-call-thread-test';
let sandbox: Awaited<ReturnType<typeof startSlackSandbox>>;
let apiUrl: string;
let channel: string;
let thread: SlackCallThread;
/** The outbox's own client, in-process. */
let direct: WebClient;

beforeAll(async () => {
  sandbox = await startSlackSandbox({
    port: 0,
    host: '127.0.0.1',
    botToken,
    signingSecret: 'call-thread-test-secret',
    rateLimits: false,
  });
  apiUrl = sandbox.apiUrl;
  channel = sandbox.handoffChannelId;
  thread = startSlackCallThread({ botToken, apiUrl, timeoutMs: 5_000, log: pino({ level: 'silent' }) });
  // Calls go to the thread only once it is up; these tests are about calls made there.
  expect(await thread.ready).toBe(true);
  direct = outboxWebClient({ botToken, apiUrl, timeoutMs: 5_000 });
});

afterAll(async () => {
  await thread.close();
  await sandbox.close();
});

/** What the outbox reads of the same call made in-process. */
const inProcess = (method: SlackCallMethod, args: Record<string, unknown>) =>
  callWebApi(direct, method, args);

const wrapping = z.object({ original: z.unknown().optional(), cause: z.unknown().optional() });
const link = z.object({ message: z.string(), code: z.string().optional() });

/** The messages and codes of what an error wraps: the WebClient keeps it in `original`, others in `cause`. */
function causes(error: unknown): z.infer<typeof link>[] {
  const found: z.infer<typeof link>[] = [];
  let next = wrapping.parse(error);
  for (
    let inner = next.original ?? next.cause;
    inner !== undefined && found.length < 3;
    inner = next.original ?? next.cause
  ) {
    const { message, code } = link.parse(inner);
    found.push(code === undefined ? { message } : { message, code });
    next = wrapping.parse(inner);
  }
  return found;
}

/**
 * Runs `test` against a thread started from a module with `source` in place of Baton's (one that fails
 * to load, dies, or never answers), then closes it and removes the module.
 */
async function withThreadModule(
  source: string,
  options: {
    log?: pino.Logger;
    timeoutMs?: number;
    startWithinMs?: number;
    giveUpMarginMs?: number;
    awaitStartMs?: number;
  },
  test: (thread: SlackCallThread) => Promise<void>,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-call-thread-'));
  const module = path.join(dir, 'thread.mjs');
  fs.writeFileSync(module, source);
  const thread = startSlackCallThread({
    botToken,
    apiUrl,
    timeoutMs: 5_000,
    log: pino({ level: 'silent' }),
    ...options,
    module: pathToFileURL(module).href,
  });
  try {
    await test(thread);
  } finally {
    await thread.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One call through the thread by method name, as the outbox makes it. */
function callThread(method: SlackCallMethod, args: Record<string, unknown>): Promise<unknown> {
  switch (method) {
    case 'chat.update':
      return thread.chat.update({
        channel: String(args.channel),
        ts: String(args.ts),
        text: String(args.text),
      });
    case 'reactions.add':
      return thread.reactions.add({
        channel: String(args.channel),
        timestamp: String(args.timestamp),
        name: String(args.name),
      });
    case 'reactions.remove':
      return thread.reactions.remove({
        channel: String(args.channel),
        timestamp: String(args.timestamp),
        name: String(args.name),
      });
    case 'conversations.history':
      return thread.conversations.history({ channel: String(args.channel) });
    default:
      throw new Error(`not used here: ${method}`);
  }
}

/** The error a call threw, or a failure if it did not throw. */
async function thrown(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call did not fail');
}

describe('Slack calls from their own thread', () => {
  it('returns what the outbox reads of an answer, as the client does in-process', async () => {
    const marker = { event_type: 'baton_outbox', event_payload: { outbox_id: 4 } };
    const root = await thread.chat.postMessage({ channel, text: 'a card' });
    expect(root).toEqual({ ts: expect.stringMatching(/^\d+\.\d+$/) });
    // Only what the outbox reads crosses back: the post's echo of the message is left behind.
    expect(Object.keys(await inProcess('chat.postMessage', { channel, text: 'another' }))).toEqual(['ts']);
    await thread.chat.postMessage({ channel, thread_ts: root.ts!, text: 'a line', metadata: marker });
    const link = await thread.chat.getPermalink({ channel, message_ts: root.ts! });
    expect(link.permalink).toContain(root.ts!);
    expect(link).toEqual(await inProcess('chat.getPermalink', { channel, message_ts: root.ts! }));
    const page = await thread.conversations.replies({ channel, ts: root.ts! });
    expect(page.messages).toHaveLength(2);
    expect(page.messages?.[1]).toMatchObject({ text: 'a line', metadata: marker });
    expect(page).toEqual(await inProcess('conversations.replies', { channel, ts: root.ts! }));
  });

  it('fails each call exactly as the WebClient does in-process, as the outbox classifies it', async () => {
    const { ts } = await direct.chat.postMessage({ channel, text: 'to be updated' });
    const cases = [
      {
        method: 'chat.update' as const,
        args: { channel, ts: ts!, text: 'x' },
        fault: { kind: 'ratelimited' as const, retryAfterSeconds: 7 },
        verdict: { kind: 'rate_limited', retryAfterSec: 7 },
        wraps: 0,
      },
      {
        method: 'reactions.add' as const,
        args: { channel: 'C0GONE', timestamp: ts!, name: 'eyes' },
        // No fault: the workspace itself has no such channel.
        fault: undefined,
        verdict: { kind: 'permanent', code: 'channel_not_found' },
        wraps: 0,
      },
      {
        method: 'reactions.remove' as const,
        args: { channel, timestamp: ts!, name: 'eyes' },
        fault: { kind: 'error' as const, error: 'internal_error' },
        verdict: { kind: 'transient', code: 'internal_error' },
        wraps: 0,
      },
      {
        method: 'conversations.history' as const,
        args: { channel },
        fault: { kind: 'dropped' as const },
        verdict: { kind: 'transient', code: 'slack_webapi_request_error' },
        // The WebClient's request error wraps fetch's TypeError, which wraps the socket's error.
        wraps: 2,
      },
    ];
    for (const c of cases) {
      // Each side meets the fault once, one after the other.
      sandbox.setFault(c.method, c.fault, 1);
      const viaThread = await thrown(callThread(c.method, c.args));
      sandbox.setFault(c.method, c.fault, 1);
      const local = await thrown(inProcess(c.method, c.args));
      expect(classifySlackError(viaThread)).toEqual(c.verdict);
      expect(classifySlackError(local)).toEqual(c.verdict);
      expect(viaThread).toBeInstanceOf(Error);
      expect((viaThread as Error).message).toBe((local as Error).message);
      // What a request failure wraps (the network error) reaches the log as it did in-process.
      expect(causes(viaThread)).toEqual(causes(local));
      expect(causes(viaThread).length).toBe(c.wraps);
    }
    sandbox.setFault('*', undefined);
  });

  it('makes calls side by side: a post waiting on Slack does not hold up another call', async () => {
    const { ts } = await direct.chat.postMessage({ channel, text: 'linked' });
    sandbox.setFault('chat.postMessage', { kind: 'slow', ms: 1_500 }, 1);
    let posted = false;
    const post = thread.chat.postMessage({ channel, text: 'slow' }).then((answer) => {
      posted = true;
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Answered while the post is still waiting for its answer.
    const link = await thread.chat.getPermalink({ channel, message_ts: ts! });
    expect(link.permalink).toContain(ts!);
    expect(posted).toBe(false);
    expect((await post).ts).toMatch(/^\d+\.\d+$/);
  });

  // Takes a while to start, then never answers a call: a call answered came from the event loop.
  const startingIn = (ms: number) =>
    `export async function ready() { await new Promise((r) => setTimeout(r, ${ms})); return true; }\n` +
    'export function call() { return new Promise(() => {}); }\n';
  const short = { timeoutMs: 300, startWithinMs: 2_000, giveUpMarginMs: 100 };

  it('makes the calls at start wait a moment for the thread, and sends them there once it is up', async () => {
    await withThreadModule(startingIn(300), { ...short, awaitStartMs: 1_500 }, async (thread) => {
      // Started within the wait: the first call goes to the thread, which never answers.
      const failure = await thrown(thread.chat.postMessage({ channel, text: 'early' }));
      expect(classifySlackError(failure)).toEqual({ kind: 'transient', code: 'slack_call_thread_timeout' });
    });
  });

  it('makes its calls from the event loop while a slow thread is starting, and from the thread once it is up', async () => {
    await withThreadModule(startingIn(1_000), { ...short, awaitStartMs: 200 }, async (thread) => {
      const started = performance.now();
      expect((await thread.chat.postMessage({ channel, text: 'early' })).ts).toMatch(/^\d+\.\d+$/);
      // It waited for the thread, but not for longer than the wait at start.
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      expect(performance.now() - started).toBeLessThan(900);
      expect(await thread.ready).toBe(true);
      // Now the call goes to the thread, which never answers: given up after its deadline.
      const failure = await thrown(thread.chat.postMessage({ channel, text: 'late' }));
      expect(classifySlackError(failure)).toEqual({ kind: 'transient', code: 'slack_call_thread_timeout' });
    });
  });

  it('makes its calls from the event loop when the thread cannot start, and says so', async () => {
    const logged: string[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });
    await withThreadModule(
      "throw new Error('this thread cannot start');\n",
      { log, startWithinMs: 1_000 },
      async (failing) => {
        expect(await failing.ready).toBe(false);
        expect(logged.join('')).toContain('Slack call thread could not start');
        // No call fails for it: they are made on the event loop, and are answered.
        const { ts } = await failing.chat.postMessage({ channel, text: 'first' });
        expect(ts).toMatch(/^\d+\.\d+$/);
        expect((await failing.chat.getPermalink({ channel, message_ts: ts! })).permalink).toContain(ts!);
      },
    );
  });

  it('fails the calls a thread was making when it dies, as request failures the outbox retries', async () => {
    // Starts, takes the call, then dies before answering (an uncaught error ends a worker thread).
    const dying =
      'export function ready() { return true; }\n' +
      "export async function call() { setTimeout(() => { throw new Error('thread died'); }, 10); return new Promise(() => {}); }\n";
    await withThreadModule(dying, {}, async (thread) => {
      expect(await thread.ready).toBe(true);
      const [a, b] = await Promise.all([
        thrown(thread.chat.postMessage({ channel, text: 'one' })),
        thrown(thread.chat.postMessage({ channel, text: 'two' })),
      ]);
      expect(classifySlackError(a)).toEqual({ kind: 'transient', code: 'request_failed' });
      expect(classifySlackError(b)).toEqual({ kind: 'transient', code: 'request_failed' });
      // Answered from the event loop meanwhile.
      expect((await thread.chat.postMessage({ channel, text: 'three' })).ts).toMatch(/^\d+\.\d+$/);
    });
  });

  it('gives up on a call the thread never answers, after its deadline, and answers the next from the event loop', async () => {
    // A thread that is up but never answers a call.
    const stuck =
      'export function ready() { return true; }\nexport function call() { return new Promise(() => {}); }\n';
    await withThreadModule(
      stuck,
      { timeoutMs: 300, startWithinMs: 200, giveUpMarginMs: 100 },
      async (thread) => {
        expect(await thread.ready).toBe(true);
        const started = performance.now();
        const failure = await thrown(thread.chat.postMessage({ channel, text: 'one' }));
        // Not before the thread's own timeout could have ended the call (200 + 300 + 100 ms).
        expect(performance.now() - started).toBeGreaterThanOrEqual(590);
        expect(classifySlackError(failure)).toEqual({ kind: 'transient', code: 'slack_call_thread_timeout' });
        expect((await thread.chat.postMessage({ channel, text: 'two' })).ts).toMatch(/^\d+\.\d+$/);
      },
    );
  });
});
