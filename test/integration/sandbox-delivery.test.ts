import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { SANDBOX_AGENT_DANA, SANDBOX_AGENT_SAM } from '../../src/sandbox/default-workspace.js';
import { eventOf, type Receiver, startReceiver } from './sandbox-receiver.js';

const TOKEN = 'xoxb-sandbox-test';
const SECRET = 'delivery-secret';
const FORM = 'application/x-www-form-urlencoded';

type Sandbox = Awaited<ReturnType<typeof startSlackSandbox>>;
let sandbox: Sandbox;
let receiver: Receiver;
let client: WebClient;

beforeEach(async () => {
  receiver = await startReceiver(SECRET);
  sandbox = await startSlackSandbox({ signingSecret: SECRET, botToken: TOKEN, appRequestUrl: receiver.url });
  client = new WebClient(TOKEN, { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await sandbox.close();
  await receiver.close();
});

const card = {
  channel: 'C0HANDOFFS',
  text: 'handoff',
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: '*Customer needs help*' } },
    {
      type: 'actions',
      block_id: 'handoff_actions',
      elements: [
        { type: 'button', action_id: 'claim', value: 'conv-1', text: { type: 'plain_text', text: 'Claim' } },
      ],
    },
  ],
};

describe('events', () => {
  it('delivers a person’s thread reply as a signed message event', async () => {
    const root = await client.chat.postMessage({ channel: 'C0HANDOFFS', text: 'root' });
    const reply = await sandbox.postMessageAs(SANDBOX_AGENT_DANA, 'C0HANDOFFS', 'on it', {
      threadTs: root.ts,
    });
    expect(reply.delivery.status).toBe(200);
    const got = await receiver.waitFor((r) => r.parsed.event_id === reply.eventId);
    expect(got.signatureValid).toBe(true);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.parsed).toMatchObject({
      type: 'event_callback',
      team_id: sandbox.teamId,
      api_app_id: sandbox.appId,
    });
    expect(eventOf(got)).toMatchObject({
      type: 'message',
      user: SANDBOX_AGENT_DANA,
      text: 'on it',
      ts: reply.ts,
      event_ts: reply.ts,
      thread_ts: root.ts,
      parent_user_id: sandbox.botUserId,
      channel: 'C0HANDOFFS',
      channel_type: 'channel',
    });
    expect(eventOf(got)?.client_msg_id).toEqual(expect.any(String));
    expect(eventOf(got)).not.toHaveProperty('subtype');
  });

  it('echoes the bot’s own post as a message event with the bot user and no subtype', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0HANDOFFS', text: 'from the bot' });
    const got = await receiver.waitFor((r) => eventOf(r)?.ts === posted.ts);
    expect(eventOf(got)).toMatchObject({
      user: sandbox.botUserId,
      bot_id: sandbox.botId,
      app_id: sandbox.appId,
    });
    expect(eventOf(got)).not.toHaveProperty('subtype');
    expect(eventOf(got)).not.toHaveProperty('client_msg_id');
  });

  it('sends edits and deletions as message_changed / message_deleted', async () => {
    const { ts } = await sandbox.postMessageAs(SANDBOX_AGENT_SAM, 'C0HANDOFFS', 'typo');
    await sandbox.editMessageAs(SANDBOX_AGENT_SAM, 'C0HANDOFFS', ts, 'fixed');
    await sandbox.deleteMessageAs(SANDBOX_AGENT_SAM, 'C0HANDOFFS', ts);
    const changed = await receiver.waitFor((r) => eventOf(r)?.subtype === 'message_changed');
    expect(eventOf(changed)).toMatchObject({
      hidden: true,
      message: { text: 'fixed', ts, edited: { user: SANDBOX_AGENT_SAM } },
      previous_message: { text: 'typo', ts },
    });
    const deleted = await receiver.waitFor((r) => eventOf(r)?.subtype === 'message_deleted');
    expect(eventOf(deleted)).toMatchObject({ deleted_ts: ts, previous_message: { text: 'fixed' } });
  });

  it('redelivers the same body with retry headers and a fresh signature', async () => {
    const body = { type: 'event_callback', event_id: 'EvRETRY1', event: { type: 'message' } };
    const result = await sandbox.deliverEvent(body, { retryNum: 2, retryReason: 'http_timeout' });
    expect(result.status).toBe(200);
    const got = await receiver.waitFor((r) => r.parsed.event_id === 'EvRETRY1');
    expect(got.headers['x-slack-retry-num']).toBe('2');
    expect(got.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(got.signatureValid).toBe(true);
    expect(got.rawBody).toBe(JSON.stringify(body));
  });

  it('reports the app’s status and records, without throwing, when no app is configured', async () => {
    receiver.respondWith(() => ({ status: 500, body: 'boom' }));
    expect((await sandbox.deliverEvent({ type: 'event_callback' })).status).toBe(500);
    const alone = await startSlackSandbox({ signingSecret: SECRET, botToken: TOKEN });
    try {
      expect(await alone.deliverEvent({ type: 'event_callback' })).toMatchObject({ status: 0 });
      expect(alone.deliveries()).toHaveLength(1);
    } finally {
      await alone.close();
    }
  });

  it('sends app_home_opened with the published view', async () => {
    await client.views.publish({ user_id: SANDBOX_AGENT_DANA, view: { type: 'home', blocks: [] } });
    await sandbox.openAppHome(SANDBOX_AGENT_DANA);
    const got = await receiver.waitFor((r) => eventOf(r)?.type === 'app_home_opened');
    expect(eventOf(got)).toMatchObject({ user: SANDBOX_AGENT_DANA, tab: 'home', view: { type: 'home' } });
  });
});

describe('interactions and commands', () => {
  it('posts block_actions as a form with one payload field', async () => {
    const posted = await client.chat.postMessage(card);
    await sandbox.clickButton(SANDBOX_AGENT_DANA, 'C0HANDOFFS', posted.ts!, 'claim');
    const got = await receiver.waitFor((r) => r.parsed.type === 'block_actions');
    expect(got.headers['content-type']).toBe(FORM);
    expect(got.signatureValid).toBe(true);
    expect(Object.keys(Object.fromEntries(new URLSearchParams(got.rawBody)))).toEqual(['payload']);
    expect(got.parsed).toMatchObject({
      user: { id: SANDBOX_AGENT_DANA, username: 'dana', team_id: sandbox.teamId },
      container: { type: 'message', message_ts: posted.ts, channel_id: 'C0HANDOFFS', is_ephemeral: false },
      channel: { id: 'C0HANDOFFS', name: 'support-handoffs' },
      message: { ts: posted.ts, bot_id: sandbox.botId },
      actions: [{ action_id: 'claim', block_id: 'handoff_actions', value: 'conv-1', type: 'button' }],
    });
    await expect(sandbox.clickButton(SANDBOX_AGENT_DANA, 'C0HANDOFFS', posted.ts!, 'nope')).rejects.toThrow(
      /nope/,
    );
  });

  it('lets the app answer through response_url: replace the original, then an ephemeral', async () => {
    const posted = await client.chat.postMessage(card);
    await sandbox.clickButton(SANDBOX_AGENT_DANA, 'C0HANDOFFS', posted.ts!, 'claim');
    const got = await receiver.waitFor((r) => r.parsed.type === 'block_actions');
    const url = String(got.parsed.response_url);
    expect(url.startsWith(sandbox.url)).toBe(true);
    const respond = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await respond({ replace_original: true, text: 'Claimed by Dana' })).status).toBe(200);
    expect(sandbox.readChannel('C0HANDOFFS')[0]?.text).toBe('Claimed by Dana');
    await respond({ text: 'only you see this' });
    expect(sandbox.ephemeralsFor(SANDBOX_AGENT_DANA).map((e) => e.text)).toEqual(['only you see this']);
    for (let i = 0; i < 3; i++) await respond({ text: `again ${i}` });
    const sixth = await respond({ text: 'too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'expired_url' });
  });

  it('answers replace_original on a slash command as Slack does: a second message, not an error', async () => {
    const res = await sandbox.runSlashCommand(SANDBOX_AGENT_DANA, 'C0HANDOFFS', 'stats');
    const post = (body: unknown) =>
      fetch(res.responseUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ response_type: 'ephemeral', text: 'Working on it…' })).status).toBe(200);
    expect(
      (await post({ response_type: 'ephemeral', replace_original: true, text: 'Stats ready' })).status,
    ).toBe(200);
    expect(sandbox.ephemeralsFor(SANDBOX_AGENT_DANA).map((e) => e.text)).toEqual([
      'Working on it…',
      'Stats ready',
    ]);
  });

  it('runs a slash command with Slack’s exact form fields and shows the ack as an ephemeral', async () => {
    receiver.respondWith((r) => (r.parsed.command ? { body: 'Queue is empty' } : {}));
    const result = await sandbox.runSlashCommand(SANDBOX_AGENT_SAM, 'C0HANDOFFS', 'queue', {
      command: '/baton',
    });
    expect(result.status).toBe(200);
    const got = await receiver.waitFor((r) => r.parsed.command === '/baton');
    expect(got.headers['content-type']).toBe(FORM);
    expect(got.signatureValid).toBe(true);
    expect(Object.keys(got.parsed)).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(got.parsed).toMatchObject({
      user_id: SANDBOX_AGENT_SAM,
      text: 'queue',
      is_enterprise_install: 'false',
    });
    expect(sandbox.ephemeralsFor(SANDBOX_AGENT_SAM).map((e) => e.text)).toEqual(['Queue is empty']);
  });

  it('keeps a modal open on response_action errors and closes it on an empty ack', async () => {
    receiver.respondWith((r) =>
      r.parsed.type === 'view_submission' &&
      !receiver.received.some((x) => x !== r && x.parsed.type === 'view_submission')
        ? {
            body: JSON.stringify({ response_action: 'errors', errors: { note: 'Required' } }),
            contentType: 'application/json',
          }
        : {},
    );
    const posted = await client.chat.postMessage(card);
    await sandbox.clickButton(SANDBOX_AGENT_DANA, 'C0HANDOFFS', posted.ts!, 'claim');
    const click = await receiver.waitFor((r) => r.parsed.type === 'block_actions');
    const opened = await client.views.open({
      trigger_id: String(click.parsed.trigger_id),
      view: { type: 'modal', callback_id: 'note', title: { type: 'plain_text', text: 'Note' }, blocks: [] },
    });
    const viewId = opened.view!.id!;
    await sandbox.submitView(SANDBOX_AGENT_DANA, viewId, { note: { text: 'hello' } });
    const submitted = await receiver.waitFor((r) => r.parsed.type === 'view_submission');
    expect(submitted.parsed.view).toMatchObject({
      id: viewId,
      callback_id: 'note',
      state: { values: { note: { text: { type: 'plain_text_input', value: 'hello' } } } },
    });
    expect(sandbox.openModalsFor(SANDBOX_AGENT_DANA)).toHaveLength(1);
    expect(sandbox.viewErrors(viewId)).toEqual({ note: 'Required' });
    await sandbox.submitView(SANDBOX_AGENT_DANA, viewId, { note: { text: 'hello again' } });
    expect(sandbox.openModalsFor(SANDBOX_AGENT_DANA)).toHaveLength(0);
  });

  it('clicks a button in the home tab with a view container', async () => {
    const home = await client.views.publish({
      user_id: SANDBOX_AGENT_DANA,
      view: {
        type: 'home',
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'go_online', text: { type: 'plain_text', text: 'Go online' } },
            ],
          },
        ],
      },
    });
    await sandbox.clickViewButton(SANDBOX_AGENT_DANA, home.view!.id!, 'go_online');
    const got = await receiver.waitFor((r) => r.parsed.type === 'block_actions');
    expect(got.parsed).toMatchObject({
      container: { type: 'view', view_id: home.view?.id },
      view: { type: 'home' },
    });
  });
});
