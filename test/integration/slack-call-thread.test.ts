import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifySlackError } from '../../src/slack/slack-errors.js';
import { type SlackCallThread, startSlackCallThread } from '../../src/slack/slack-call-thread.js';

/**
 * The outbox's Slack calls made from their own thread: answers and failures must reach the outbox as the
 * WebClient gives them in-process, since the outbox decides by them (post, defer, park, retry).
 */
const answers: Record<string, (res: http.ServerResponse) => void> = {
  'chat.postMessage': (res) => json(res, 200, { ok: true, channel: 'C1', ts: '1700000000.000100' }),
  'chat.getPermalink': (res) => json(res, 200, { ok: true, permalink: 'https://example.slack.com/p1' }),
  'conversations.replies': (res) =>
    json(res, 200, {
      ok: true,
      messages: [{ ts: '1.1', metadata: { event_type: 'baton_outbox', event_payload: { outbox_id: 4 } } }],
      response_metadata: { next_cursor: 'next' },
    }),
  'chat.update': (res) => json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' }),
  'reactions.add': (res) => json(res, 200, { ok: false, error: 'channel_not_found' }),
  'reactions.remove': (res) => json(res, 200, { ok: false, error: 'internal_error' }),
  // The connection dropped mid-call: no answer at all.
  'conversations.history': (res) => res.socket?.destroy(),
};

function json(res: http.ServerResponse, status: number, body: object, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

let server: http.Server;
let apiUrl: string;
let thread: SlackCallThread;
let direct: WebClient;
/** chat.postMessage calls held until released (the "slow Slack" case). */
let holdPosts = false;
const held: (() => void)[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const method = (req.url ?? '').replace('/api/', '');
    const answer = answers[method] ?? ((r) => json(r, 200, { ok: false, error: 'unknown_method' }));
    if (method === 'chat.postMessage' && holdPosts) held.push(() => answer(res));
    else answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  thread = startSlackCallThread({
    botToken: 'xoxb-test',
    apiUrl,
    timeoutMs: 5_000,
    log: pino({ level: 'silent' }),
  });
  // Calls go to the thread only once it is up; these tests are about calls made there.
  expect(await thread.ready).toBe(true);
  direct = new WebClient('xoxb-test', {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});

afterAll(async () => {
  await thread.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

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
  options: { log?: pino.Logger; timeoutMs?: number; startWithinMs?: number; giveUpMarginMs?: number },
  test: (thread: SlackCallThread) => Promise<void>,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-call-thread-'));
  const module = path.join(dir, 'thread.mjs');
  fs.writeFileSync(module, source);
  const thread = startSlackCallThread({
    botToken: 'xoxb-test',
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
  it('returns what the outbox reads of an answer', async () => {
    expect(await thread.chat.postMessage({ channel: 'C1', text: 'hello' })).toMatchObject({
      ts: '1700000000.000100',
    });
    expect((await thread.chat.getPermalink({ channel: 'C1', message_ts: '1.1' })).permalink).toBe(
      'https://example.slack.com/p1',
    );
    const page = await thread.conversations.replies({ channel: 'C1', ts: '1.0' });
    expect(page.response_metadata?.next_cursor).toBe('next');
    expect(page.messages).toEqual([
      { ts: '1.1', metadata: { event_type: 'baton_outbox', event_payload: { outbox_id: 4 } } },
    ]);
  });

  it('fails each call exactly as the WebClient does in-process, as the outbox classifies it', async () => {
    const cases = [
      {
        viaThread: () => thread.chat.update({ channel: 'C1', ts: '1.1', text: 'x' }),
        inProcess: () => direct.chat.update({ channel: 'C1', ts: '1.1', text: 'x' }),
        verdict: { kind: 'rate_limited', retryAfterSec: 7 },
        wraps: 0,
      },
      {
        viaThread: () => thread.reactions.add({ channel: 'C1', timestamp: '1.1', name: 'eyes' }),
        inProcess: () => direct.reactions.add({ channel: 'C1', timestamp: '1.1', name: 'eyes' }),
        verdict: { kind: 'permanent', code: 'channel_not_found' },
        wraps: 0,
      },
      {
        viaThread: () => thread.reactions.remove({ channel: 'C1', timestamp: '1.1', name: 'eyes' }),
        inProcess: () => direct.reactions.remove({ channel: 'C1', timestamp: '1.1', name: 'eyes' }),
        verdict: { kind: 'transient', code: 'internal_error' },
        wraps: 0,
      },
      {
        viaThread: () => thread.conversations.history({ channel: 'C1' }),
        inProcess: () => direct.conversations.history({ channel: 'C1' }),
        verdict: { kind: 'transient', code: 'slack_webapi_request_error' },
        // The WebClient's request error wraps fetch's TypeError, which wraps the socket's error.
        wraps: 2,
      },
    ];
    for (const c of cases) {
      const [viaThread, inProcess] = await Promise.all([thrown(c.viaThread()), thrown(c.inProcess())]);
      expect(classifySlackError(viaThread)).toEqual(c.verdict);
      expect(classifySlackError(inProcess)).toEqual(c.verdict);
      expect(viaThread).toBeInstanceOf(Error);
      expect((viaThread as Error).message).toBe((inProcess as Error).message);
      // What a request failure wraps (the network error) reaches the log as it did in-process.
      expect(causes(viaThread)).toEqual(causes(inProcess));
      expect(causes(viaThread).length).toBe(c.wraps);
    }
  });

  it('makes calls side by side: a post waiting on Slack does not hold up another call', async () => {
    holdPosts = true;
    const post = thread.chat.postMessage({ channel: 'C1', text: 'slow' });
    try {
      await expect.poll(() => held.length, { timeout: 5_000 }).toBe(1);
      // Answered while the post is still waiting for its answer.
      const link = await thread.chat.getPermalink({ channel: 'C1', message_ts: '1.1' });
      expect(link.permalink).toBe('https://example.slack.com/p1');
      expect(held).toHaveLength(1);
    } finally {
      holdPosts = false;
      for (const release of held.splice(0)) release();
    }
    expect((await post).ts).toBe('1700000000.000100');
  });

  it('makes its calls from the event loop while the thread is starting, and from the thread once it is up', async () => {
    // Takes a second to start, then never answers a call: a call answered before that came from the event loop.
    const slowStart =
      'export async function ready() { await new Promise((r) => setTimeout(r, 1000)); return true; }\n' +
      'export function call() { return new Promise(() => {}); }\n';
    await withThreadModule(
      slowStart,
      { timeoutMs: 300, startWithinMs: 2_000, giveUpMarginMs: 100 },
      async (thread) => {
        expect((await thread.chat.postMessage({ channel: 'C1', text: 'early' })).ts).toBe(
          '1700000000.000100',
        );
        expect(await thread.ready).toBe(true);
        // Now the call goes to the thread, which never answers: given up after its deadline.
        const failure = await thrown(thread.chat.postMessage({ channel: 'C1', text: 'late' }));
        expect(classifySlackError(failure)).toEqual({ kind: 'transient', code: 'slack_call_thread_timeout' });
      },
    );
  });

  it('makes its calls from the event loop when the thread cannot start, and says so', async () => {
    const logged: string[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });
    await withThreadModule(
      "throw new Error('this thread cannot start');\n",
      { log, startWithinMs: 1_000 },
      async (failing) => {
        expect(await failing.ready).toBe(false);
        expect(logged.join('')).toMatch(/Slack call thread (could not start|has not started in time)/);
        // No call fails for it: they are made on the event loop, and are answered.
        expect((await failing.chat.postMessage({ channel: 'C1', text: 'first' })).ts).toBe(
          '1700000000.000100',
        );
        expect((await failing.chat.getPermalink({ channel: 'C1', message_ts: '1.1' })).permalink).toBe(
          'https://example.slack.com/p1',
        );
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
        thrown(thread.chat.postMessage({ channel: 'C1', text: 'one' })),
        thrown(thread.chat.postMessage({ channel: 'C2', text: 'two' })),
      ]);
      expect(classifySlackError(a)).toEqual({ kind: 'transient', code: 'request_failed' });
      expect(classifySlackError(b)).toEqual({ kind: 'transient', code: 'request_failed' });
      // Answered from the event loop meanwhile.
      expect((await thread.chat.postMessage({ channel: 'C1', text: 'three' })).ts).toBe('1700000000.000100');
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
        const failure = await thrown(thread.chat.postMessage({ channel: 'C1', text: 'one' }));
        // Not before the thread's own timeout could have ended the call (200 + 300 + 100 ms).
        expect(performance.now() - started).toBeGreaterThanOrEqual(590);
        expect(classifySlackError(failure)).toEqual({ kind: 'transient', code: 'slack_call_thread_timeout' });
        expect((await thread.chat.postMessage({ channel: 'C1', text: 'two' })).ts).toBe('1700000000.000100');
      },
    );
  });
});
