import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { SANDBOX_AGENT_DANA, SANDBOX_GENERAL_CHANNEL_ID } from '../../src/sandbox/default-workspace.js';
import type { Receiver } from './sandbox-receiver.js';
import {
  errorOf,
  type Sandbox,
  SECRET,
  section,
  startWorkspace,
  stopWorkspace,
  TOKEN,
} from './sandbox-web-api-helpers.js';

// Posting, editing and lookups through the sandbox's Web API; views and reactions live in
// sandbox-web-api-views.test.ts and sandbox-web-api-reactions-rate-limits.test.ts.

let sandbox: Sandbox;
let receiver: Receiver;
let client: WebClient;

beforeEach(async () => {
  ({ sandbox, receiver, client } = await startWorkspace());
});

afterEach(() => stopWorkspace(sandbox, receiver));

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
