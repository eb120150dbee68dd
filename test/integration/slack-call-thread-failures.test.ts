import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { classifySlackError } from '../../src/slack/slack-errors.js';
import { type SlackCallThread, startSlackCallThread } from '../../src/slack/slack-call-thread.js';
import { thrown } from '../support/thrown.js';

/**
 * The outbox's Slack call thread when it starts slowly, cannot start, dies mid-call or never answers,
 * against the local Slack workspace: no call is lost and none waits long; the calls go from the event
 * loop meanwhile. Calls through a thread that works: slack-call-thread.test.ts.
 */
const botToken = 'xoxb-call-thread-failures-test';
let sandbox: Awaited<ReturnType<typeof startSlackSandbox>>;
let apiUrl: string;
let channel: string;

beforeAll(async () => {
  sandbox = await startSlackSandbox({
    port: 0,
    host: '127.0.0.1',
    botToken,
    signingSecret: 'call-thread-failures-test-secret',
    rateLimits: false,
  });
  apiUrl = sandbox.apiUrl;
  channel = sandbox.handoffChannelId;
});

afterAll(async () => {
  await sandbox.close();
});

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

describe('the Slack call thread starting, failing and hanging', () => {
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
