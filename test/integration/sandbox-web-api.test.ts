import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import {
  SANDBOX_AGENT_DANA,
  SANDBOX_GENERAL_CHANNEL_ID,
  SANDBOX_RANDOM_CHANNEL_ID,
} from '../../src/sandbox/default-workspace.js';
import { type Receiver, startReceiver } from './sandbox-receiver.js';

const TOKEN = 'xoxb-sandbox-test';
const SECRET = 'sandbox-secret';

type Sandbox = Awaited<ReturnType<typeof startSlackSandbox>>;
let sandbox: Sandbox;
let receiver: Receiver;
let client: WebClient;
let skewMs = 0;

beforeEach(async () => {
  skewMs = 0;
  receiver = await startReceiver(SECRET);
  sandbox = await startSlackSandbox({
    signingSecret: SECRET,
    botToken: TOKEN,
    appRequestUrl: receiver.url,
    now: () => Date.now() + skewMs,
  });
  client = new WebClient(TOKEN, { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await sandbox.close();
  await receiver.close();
});

/** The platform error code of a rejected WebClient call. */
async function errorOf(call: Promise<unknown>): Promise<{ error: string; data: Record<string, unknown> }> {
  const err = (await call.then(
    () => ({}),
    (e: unknown) => e,
  )) as { data?: Record<string, unknown> };
  return { error: String(err.data?.error), data: err.data ?? {} };
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('auth and posting', () => {
  it('answers auth.test with the bot identity Bolt needs', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({
      ok: true,
      user_id: sandbox.botUserId,
      bot_id: sandbox.botId,
      team_id: sandbox.teamId,
      is_enterprise_install: false,
    });
    expect(res.url).toBe(`${sandbox.url}/`);
  });

  it('rejects unknown and missing tokens', async () => {
    const bad = new WebClient('xoxb-wrong', { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
    expect((await errorOf(bad.auth.test())).error).toBe('invalid_auth');
    const none = new WebClient(undefined, { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
    expect((await errorOf(none.auth.test())).error).toBe('not_authed');
  });

  it('posts to a channel and into a thread, tracking replies on the root', async () => {
    const root = await client.chat.postMessage({
      channel: '#support-handoffs',
      text: 'New handoff',
      blocks: [section('*New handoff*')],
      metadata: { event_type: 'handoff', event_payload: { outbox_id: 'o-1' } },
    });
    expect(root.channel).toBe(sandbox.handoffChannelId);
    expect(root.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(root.message).toMatchObject({
      user: sandbox.botUserId,
      bot_id: sandbox.botId,
      app_id: sandbox.appId,
    });
    const reply = await client.chat.postMessage({
      channel: sandbox.handoffChannelId,
      thread_ts: root.ts,
      text: 'hi',
    });
    expect(reply.message).toMatchObject({ thread_ts: root.ts, parent_user_id: sandbox.botUserId });
    expect(Number(reply.ts)).toBeGreaterThan(Number(root.ts));

    const thread = await client.conversations.replies({ channel: sandbox.handoffChannelId, ts: root.ts! });
    expect(thread.messages?.map((m) => m.text)).toEqual(['New handoff', 'hi']);
    expect(thread.messages?.[0]).toMatchObject({
      reply_count: 1,
      latest_reply: reply.ts,
      thread_ts: root.ts,
    });
    expect(sandbox.readChannel(sandbox.handoffChannelId)[0]?.metadata?.event_payload).toEqual({
      outbox_id: 'o-1',
    });
    expect(
      (await errorOf(client.conversations.replies({ channel: 'C0HANDOFFS', ts: '1.000001' }))).error,
    ).toBe('thread_not_found');
  });

  it('returns Slack errors for bad channels, empty and oversized messages', async () => {
    expect((await errorOf(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    expect((await errorOf(client.chat.postMessage({ channel: 'C0HANDOFFS', text: '' }))).error).toBe(
      'no_text',
    );

    const tooMany = await errorOf(
      client.chat.postMessage({
        channel: 'C0HANDOFFS',
        text: 'x',
        blocks: Array.from({ length: 51 }, () => section('a')),
      }),
    );
    expect(tooMany.error).toBe('invalid_blocks');
    expect(tooMany.data.errors).toContain('no more than 50 items allowed [json-pointer:/blocks]');

    const long = await errorOf(
      client.chat.postMessage({ channel: 'C0HANDOFFS', text: 'x', blocks: [section('a'.repeat(3001))] }),
    );
    expect(long.data.response_metadata).toEqual({
      messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    });

    const truncated = await client.chat.postMessage({ channel: 'C0HANDOFFS', text: 'y'.repeat(40_001) });
    expect(truncated.response_metadata?.warnings).toEqual(['message_truncated']);
    expect(truncated.message?.text).toHaveLength(40_000);
  });

  it('refuses channels the bot is not in and archived ones', async () => {
    await sandbox.close();
    sandbox = await startSlackSandbox({
      signingSecret: SECRET,
      botToken: TOKEN,
      channels: [
        {
          id: 'C0PRIVATE',
          name: 'private',
          isPrivate: true,
          isArchived: false,
          memberIds: [SANDBOX_AGENT_DANA],
        },
        { id: 'C0OLD', name: 'old', isPrivate: false, isArchived: true, memberIds: [sandbox.botUserId] },
      ],
    });
    client = new WebClient(TOKEN, { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
    expect((await errorOf(client.chat.postMessage({ channel: 'C0PRIVATE', text: 'x' }))).error).toBe(
      'not_in_channel',
    );
    expect((await errorOf(client.chat.postMessage({ channel: 'C0OLD', text: 'x' }))).error).toBe(
      'is_archived',
    );
  });

  it('updates and deletes only the bot’s own messages', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0HANDOFFS', text: 'v1' });
    const updated = await client.chat.update({ channel: 'C0HANDOFFS', ts: posted.ts!, text: 'v2' });
    expect(updated).toMatchObject({
      ok: true,
      ts: posted.ts,
      text: 'v2',
      message: { edited: { user: sandbox.botId } },
    });
    expect(sandbox.readChannel('C0HANDOFFS')[0]?.text).toBe('v2');

    const human = await sandbox.postMessageAs(SANDBOX_AGENT_DANA, 'C0HANDOFFS', 'mine');
    expect(
      (await errorOf(client.chat.update({ channel: 'C0HANDOFFS', ts: human.ts, text: 'x' }))).error,
    ).toBe('cant_update_message');
    expect(
      (await errorOf(client.chat.update({ channel: 'C0HANDOFFS', ts: '1.000001', text: 'x' }))).error,
    ).toBe('message_not_found');
    await client.chat.delete({ channel: 'C0HANDOFFS', ts: posted.ts! });
    expect(sandbox.readChannel('C0HANDOFFS').map((m) => m.text)).toEqual(['mine']);
  });

  it('shows ephemerals only to members of the channel', async () => {
    const res = await client.chat.postEphemeral({
      channel: 'C0HANDOFFS',
      user: SANDBOX_AGENT_DANA,
      text: 'psst',
    });
    expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(sandbox.ephemeralsFor(SANDBOX_AGENT_DANA)).toMatchObject([{ text: 'psst', ts: res.message_ts }]);
    await sandbox.close();
    sandbox = await startSlackSandbox({
      signingSecret: SECRET,
      botToken: TOKEN,
      channels: [
        { id: 'C0BOTONLY', name: 'bot-only', isPrivate: false, isArchived: false, memberIds: ['U0BATONBOT'] },
      ],
    });
    client = new WebClient(TOKEN, { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
    const err = await errorOf(
      client.chat.postEphemeral({ channel: 'C0BOTONLY', user: SANDBOX_AGENT_DANA, text: 'x' }),
    );
    expect(err.error).toBe('user_not_in_channel');
  });
});

describe('users, conversations, permalinks', () => {
  it('describes people like users.info does', async () => {
    const res = await client.users.info({ user: 'U0ADMINALEX' });
    expect(res.user).toMatchObject({
      id: 'U0ADMINALEX',
      is_admin: true,
      is_owner: true,
      is_bot: false,
      tz: 'America/New_York',
      profile: { display_name: 'Alex', real_name: 'Alex Kim', email: 'alex@example.com' },
    });
    expect([-14400, -18000]).toContain(res.user?.tz_offset);
    expect((await errorOf(client.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');
    sandbox.setUserPresence(SANDBOX_AGENT_DANA, 'away');
    expect((await client.users.getPresence({ user: SANDBOX_AGENT_DANA })).presence).toBe('away');
  });

  it('opens DMs and reports channel info and permalinks', async () => {
    const dm = await client.conversations.open({ users: SANDBOX_AGENT_DANA });
    expect(dm.channel?.id).toMatch(/^D/);
    const info = await client.conversations.info({ channel: SANDBOX_GENERAL_CHANNEL_ID });
    expect(info.channel).toMatchObject({ name: 'general', is_member: true });
    expect((await errorOf(client.conversations.info({ channel: 'C0NOPE' }))).error).toBe('channel_not_found');
    const posted = await client.chat.postMessage({ channel: 'C0HANDOFFS', text: 'x' });
    const link = await client.chat.getPermalink({ channel: 'C0HANDOFFS', message_ts: posted.ts! });
    expect(link.permalink).toBe(`${sandbox.url}/#/C0HANDOFFS/${posted.ts}`);
    expect((await errorOf(client.apiCall('no.such.method'))).error).toBe('unknown_method');
  });
});

describe('views', () => {
  const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Claim' }, blocks: [] };

  async function triggerFromClick(): Promise<string> {
    const card = await client.chat.postMessage({
      channel: 'C0HANDOFFS',
      text: 'card',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'claim', text: { type: 'plain_text', text: 'Claim' } }],
        },
      ],
    });
    await sandbox.clickButton(SANDBOX_AGENT_DANA, 'C0HANDOFFS', card.ts!, 'claim');
    const click = await receiver.waitFor((r) => r.parsed.type === 'block_actions');
    return String(click.parsed.trigger_id);
  }

  it('opens a modal with a fresh trigger id, once', async () => {
    const trigger = await triggerFromClick();
    const res = await client.views.open({ trigger_id: trigger, view: modal });
    expect(res.view).toMatchObject({ type: 'modal', root_view_id: res.view?.id, app_id: sandbox.appId });
    expect(sandbox.openModalsFor(SANDBOX_AGENT_DANA).map((v) => v.id)).toEqual([res.view?.id]);
    expect((await errorOf(client.views.open({ trigger_id: trigger, view: modal }))).error).toBe(
      'expired_trigger_id',
    );
    expect((await errorOf(client.views.open({ trigger_id: '1.2.made-up', view: modal }))).error).toBe(
      'invalid_arguments',
    );
  });

  it('refuses a trigger id older than 3 seconds', async () => {
    const trigger = await triggerFromClick();
    skewMs = 3001;
    expect((await errorOf(client.views.open({ trigger_id: trigger, view: modal }))).error).toBe(
      'expired_trigger_id',
    );
  });

  it('publishes and republishes the home tab', async () => {
    const home = { type: 'home' as const, blocks: [section('Welcome')] };
    const first = await client.views.publish({ user_id: SANDBOX_AGENT_DANA, view: home });
    const second = await client.views.publish({
      user_id: SANDBOX_AGENT_DANA,
      view: { ...home, blocks: [section('Again')] },
    });
    expect(second.view?.id).toBe(first.view?.id);
    expect(second.view?.hash).not.toBe(first.view?.hash);
    expect(sandbox.homeViewFor(SANDBOX_AGENT_DANA)?.view.blocks).toEqual([
      { ...section('Again'), block_id: expect.any(String) },
    ]);
    const err = await errorOf(client.views.publish({ user_id: 'U0NOBODY', view: home }));
    expect(err.error).toBe('invalid_arguments');
  });
});

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
