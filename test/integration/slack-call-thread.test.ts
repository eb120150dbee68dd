import type { WebClient } from '@slack/web-api';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { callWebApi, outboxWebClient, type SlackCallMethod } from '../../src/slack/outbox-client.js';
import { classifySlackError } from '../../src/slack/slack-errors.js';
import { type SlackCallThread, startSlackCallThread } from '../../src/slack/slack-call-thread.js';
import { thrown } from '../support/thrown.js';

/**
 * The outbox's Slack calls made from their own thread, against the local Slack workspace and its
 * faults: answers and failures must reach the outbox as the same WebClient gives them in-process (what
 * the event-loop fallback uses), since the outbox decides by them (post, defer, park, retry). A thread
 * that starts slowly, cannot start, dies or hangs: slack-call-thread-failures.test.ts.
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
});
