import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA, SANDBOX_RANDOM_CHANNEL_ID } from '../../src/sandbox/default-workspace.js';
import type { Receiver } from './sandbox-receiver.js';
import { errorOf, type Sandbox, startWorkspace, stopWorkspace, TOKEN } from './sandbox-web-api-helpers.js';

// Reactions and the sandbox's per-method / per-channel rate limits (429 + Retry-After), which
// the Web API client must see exactly as it would from Slack.

let sandbox: Sandbox;
let receiver: Receiver;
let client: WebClient;

beforeEach(async () => {
  ({ sandbox, receiver, client } = await startWorkspace());
});

afterEach(() => stopWorkspace(sandbox, receiver));

describe('reactions', () => {
  const channel = 'C0HANDOFFS';
  const byBot = (name: string) => ({ name, users: [sandbox.botUserId], count: 1 });

  it('adds, lists and removes the bot’s reactions, in order of first use', async () => {
    const { ts } = await client.chat.postMessage({ channel, text: 'New handoff' });
    const timestamp = ts!;
    expect(await client.reactions.add({ channel, timestamp, name: 'eyes' })).toMatchObject({ ok: true });
    await client.reactions.add({ channel, timestamp, name: 'thumbsup::skin-tone-2' });
    const again = await errorOf(client.reactions.add({ channel, timestamp, name: 'eyes' }));
    expect(again.error).toBe('already_reacted');

    const got = await client.reactions.get({ channel, timestamp });
    expect(got).toMatchObject({ ok: true, type: 'message', channel, message: { ts, text: 'New handoff' } });
    expect(got.message?.reactions).toEqual([byBot('eyes'), byBot('thumbsup::skin-tone-2')]);
    const history = await client.conversations.history({ channel });
    expect(history.messages?.[0]?.reactions).toEqual(got.message?.reactions);
    // reactionsOn hands out a copy: changing it leaves the workspace alone.
    sandbox.reactionsOn(channel, timestamp).pop();
    expect(sandbox.reactionsOn(channel, timestamp)).toHaveLength(2);

    await client.reactions.remove({ channel, timestamp, name: 'eyes' });
    expect(sandbox.reactionsOn(channel, timestamp)).toEqual([byBot('thumbsup::skin-tone-2')]);
    const gone = await errorOf(client.reactions.remove({ channel, timestamp, name: 'eyes' }));
    expect(gone.error).toBe('no_reaction');
    await client.reactions.remove({ channel, timestamp, name: 'thumbsup::skin-tone-2' });
    expect(sandbox.reactionsOn(channel, timestamp)).toEqual([]);
    // Like Slack, a message without reactions has no `reactions` field at all.
    expect((await client.reactions.get({ channel, timestamp })).message).not.toHaveProperty('reactions');
    expect(sandbox.readChannel(channel)[0]).not.toHaveProperty('reactions');
  });

  it('reacts to a person’s thread reply, shown by conversations.replies and announced', async () => {
    const root = await client.chat.postMessage({ channel, text: 'Handoff' });
    const reply = await sandbox.postMessageAs(SANDBOX_AGENT_DANA, channel, 'Done', { threadTs: root.ts });
    const changes: unknown[] = [];
    sandbox.onChange((change) => changes.push(change));
    await client.reactions.add({ channel, timestamp: reply.ts, name: 'white_check_mark' });
    expect(changes).toContainEqual({ kind: 'message', channel, ts: reply.ts });
    const replies = await client.conversations.replies({ channel, ts: root.ts! });
    expect(replies.messages?.map((m) => m.reactions)).toEqual([undefined, [byBot('white_check_mark')]]);
  });

  it('refuses unknown messages, channels and names, and channels the bot is not in', async () => {
    const { ts } = await client.chat.postMessage({ channel, text: 'x' });
    const add = (args: { channel: string; timestamp: string; name: string }) =>
      errorOf(client.reactions.add(args)).then((e) => e.error);
    expect(await add({ channel, timestamp: '1700000000.000001', name: 'eyes' })).toBe('message_not_found');
    expect(await add({ channel: 'C0NOPE', timestamp: ts!, name: 'eyes' })).toBe('channel_not_found');
    for (const name of [':eyes:', 'Eyes', 'eyes::skin-tone-7', ''])
      expect(await add({ channel, timestamp: ts!, name })).toBe('invalid_name');
    expect((await errorOf(client.apiCall('reactions.get', { channel }))).error).toBe('no_item_specified');

    const theirs = await sandbox.postMessageAs(SANDBOX_AGENT_DANA, SANDBOX_RANDOM_CHANNEL_ID, 'hi');
    const where = { channel: SANDBOX_RANDOM_CHANNEL_ID, timestamp: theirs.ts };
    expect(await add({ ...where, name: 'eyes' })).toBe('not_in_channel');
    expect((await errorOf(client.reactions.get(where))).error).toBe('not_in_channel');
    expect(sandbox.reactionsOn(SANDBOX_RANDOM_CHANNEL_ID, theirs.ts)).toEqual([]);
    expect(() => sandbox.reactionsOn('C0NOPE', ts!)).toThrow(/no channel C0NOPE/);
    expect(() => sandbox.reactionsOn(channel, '1.000001')).toThrow(/no message 1\.000001/);
  });

  it('limits reactions.remove at Slack’s Tier 2 (a burst of 10)', async () => {
    const strict = new WebClient(TOKEN, {
      slackApiUrl: sandbox.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const { ts } = await client.chat.postMessage({ channel, text: 'x' });
    await Promise.allSettled(
      Array.from({ length: 11 }, () => strict.reactions.remove({ channel, timestamp: ts!, name: 'eyes' })),
    );
    const statuses = sandbox
      .calls()
      .filter((c) => c.method === 'reactions.remove')
      .map((c) => c.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('answers a burst to one channel with 429 and Retry-After', async () => {
    const strict = new WebClient(TOKEN, {
      slackApiUrl: sandbox.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => strict.chat.postMessage({ channel: 'C0HANDOFFS', text: `m${i}` })),
    );
    const limited = results.filter((r) => r.status === 'rejected');
    expect(limited.length).toBeGreaterThan(0);
    const reason = (limited[0] as PromiseRejectedResult).reason as { code: string; retryAfter: number };
    expect(reason.code).toBe('slack_webapi_rate_limited_error');
    expect(reason.retryAfter).toBeGreaterThanOrEqual(1);
    const call = sandbox.calls().find((c) => c.status === 429);
    expect(call?.response).toEqual({ ok: false, error: 'ratelimited' });
    // Another channel has its own bucket.
    await strict.chat.postMessage({ channel: 'C0GENERAL', text: 'fine' });
  });

  it('lets the default client wait out Retry-After and deliver the message', async () => {
    sandbox.forceRateLimit('chat.postMessage', 1, 1);
    const patient = new WebClient(TOKEN, {
      slackApiUrl: sandbox.apiUrl,
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 1 },
    });
    await patient.chat.postMessage({ channel: 'C0HANDOFFS', text: 'eventually' });
    expect(sandbox.calls().map((c) => c.status)).toEqual([429, 200]);
    expect(sandbox.readChannel('C0HANDOFFS').map((m) => m.text)).toEqual(['eventually']);
  });

  it('waitForCall resolves on future calls and explains timeouts', async () => {
    const waiting = sandbox.waitForCall((c) => c.method === 'users.info');
    await client.users.info({ user: SANDBOX_AGENT_DANA });
    expect((await waiting).args).toMatchObject({ user: SANDBOX_AGENT_DANA });
    await expect(sandbox.waitForCall((c) => c.method === 'views.open', 50)).rejects.toThrow(/users\.info/);
  });
});
