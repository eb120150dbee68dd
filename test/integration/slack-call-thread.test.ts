import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      },
      {
        viaThread: () => thread.reactions.add({ channel: 'C1', timestamp: '1.1', name: 'eyes' }),
        inProcess: () => direct.reactions.add({ channel: 'C1', timestamp: '1.1', name: 'eyes' }),
        verdict: { kind: 'permanent', code: 'channel_not_found' },
      },
      {
        viaThread: () => thread.reactions.remove({ channel: 'C1', timestamp: '1.1', name: 'eyes' }),
        inProcess: () => direct.reactions.remove({ channel: 'C1', timestamp: '1.1', name: 'eyes' }),
        verdict: { kind: 'transient', code: 'internal_error' },
      },
      {
        viaThread: () => thread.conversations.history({ channel: 'C1' }),
        inProcess: () => direct.conversations.history({ channel: 'C1' }),
        verdict: { kind: 'transient', code: 'slack_webapi_request_error' },
      },
    ];
    for (const c of cases) {
      const [viaThread, inProcess] = await Promise.all([thrown(c.viaThread()), thrown(c.inProcess())]);
      expect(classifySlackError(viaThread)).toEqual(c.verdict);
      expect(classifySlackError(inProcess)).toEqual(c.verdict);
      expect(viaThread).toBeInstanceOf(Error);
      expect((viaThread as Error).message).toBe((inProcess as Error).message);
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
});
