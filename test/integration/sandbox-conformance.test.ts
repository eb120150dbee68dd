import { readFileSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { SANDBOX_AGENT_DANA, SANDBOX_AGENT_SAM } from '../../src/sandbox/default-workspace.js';
import { missingFrom, unknownTo } from './json-shape.js';
import { eventOf, type Received, type Receiver, startReceiver } from './sandbox-receiver.js';

/**
 * The sandbox's payloads against Slack's own samples (test/fixtures/slack-samples).
 * - captured/: verbatim deliveries from real Slack. Every field they have must be in ours with the
 *   same JSON type (ours may add fields). Allowlisted: features the sandbox does not produce.
 * - schema/: anonymised unions of everything Slack has sent. Every field we send must appear there
 *   with the same type (null is accepted anywhere). Separately, the fields apps rely on must be present.
 */
const sample = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack-samples/${path}`, import.meta.url), 'utf8'));

const TOKEN = 'xoxb-conformance';
const SECRET = 'conformance-secret';
let sandbox: Awaited<ReturnType<typeof startSlackSandbox>>;
let receiver: Receiver;
let client: WebClient;

beforeAll(async () => {
  receiver = await startReceiver(SECRET);
  sandbox = await startSlackSandbox({ signingSecret: SECRET, botToken: TOKEN, appRequestUrl: receiver.url });
  client = new WebClient(TOKEN, { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const eventWhere = (pred: (e: Record<string, unknown>) => boolean): Promise<Received> =>
  receiver.waitFor((r) => {
    const e = eventOf(r);
    return e !== undefined && pred(e);
  });

describe('events match captured Slack deliveries', () => {
  it('bot thread reply = captured/SlackWebhookEvent_botMessage.json', async () => {
    const root = await sandbox.postMessageAs(SANDBOX_AGENT_DANA, 'C0HANDOFFS', 'root');
    const posted = await client.chat.postMessage({ channel: 'C0HANDOFFS', text: 'TEST', thread_ts: root.ts });
    const got = await eventWhere((e) => e.ts === posted.ts);
    expect(missingFrom(sample('captured/SlackWebhookEvent_botMessage.json'), got.parsed)).toEqual([]);
  });

  it('human message = captured/SlackWebhookEvent_messageExample.json', async () => {
    const { ts } = await sandbox.postMessageAs(SANDBOX_AGENT_SAM, 'C0HANDOFFS', 'dgsfklsdgf');
    const got = await eventWhere((e) => e.ts === ts);
    expect(missingFrom(sample('captured/SlackWebhookEvent_messageExample.json'), got.parsed)).toEqual([]);
  });

  it('edit = captured/SlackWebhookEvent_messageChange.json', async () => {
    const { ts } = await sandbox.postMessageAs(SANDBOX_AGENT_SAM, 'C0HANDOFFS', 'before');
    await sandbox.editMessageAs(SANDBOX_AGENT_SAM, 'C0HANDOFFS', ts, 'after');
    const got = await eventWhere((e) => e.subtype === 'message_changed');
    // The captured edit added a link (an unfurl attachment and a rich_text link element); ours is plain text.
    const ignore = [
      'event.message.attachments',
      'event.message.blocks[].elements[].elements[].url',
      'event.previous_message.blocks[].elements[].elements[].url',
    ];
    expect(missingFrom(sample('captured/SlackWebhookEvent_messageChange.json'), got.parsed, ignore)).toEqual(
      [],
    );
  });

  it('deletion = captured/SlackWebhookEvent_message_deleted.json', async () => {
    const { ts } = await sandbox.postMessageAs(SANDBOX_AGENT_SAM, 'C0HANDOFFS', 'gone soon');
    await sandbox.deleteMessageAs(SANDBOX_AGENT_SAM, 'C0HANDOFFS', ts);
    const got = await eventWhere((e) => e.subtype === 'message_deleted');
    expect(missingFrom(sample('captured/SlackWebhookEvent_message_deleted.json'), got.parsed)).toEqual([]);
  });

  it('app home = captured/SlackWebhookEvent_app_home_opened_home.json', async () => {
    await sandbox.openAppHome(SANDBOX_AGENT_SAM);
    const got = await eventWhere((e) => e.type === 'app_home_opened');
    expect(missingFrom(sample('captured/SlackWebhookEvent_app_home_opened_home.json'), got.parsed)).toEqual(
      [],
    );
  });
});

describe('Web API responses match captured and schema samples', () => {
  it('chat.update = captured/UpdateRsp_actual.json', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0HANDOFFS', text: 'x' });
    const res = await client.chat.update({ channel: 'C0HANDOFFS', ts: posted.ts!, text: 'blahblahblah' });
    const { response_metadata: _meta, ...body } = res;
    expect(missingFrom(sample('captured/UpdateRsp_actual.json'), body)).toEqual([]);
  });

  it('views.publish = captured/PublishResp_views.publish_example.json', async () => {
    const res = await client.views.publish({
      user_id: SANDBOX_AGENT_DANA,
      view: {
        type: 'home',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'A simple section' } }],
      },
    });
    const { response_metadata: _meta, ...body } = res;
    // `verbatim` is echoed only when the app sends it; Slack's sample app did.
    const ignore = ['view.blocks[].text.verbatim'];
    expect(missingFrom(sample('captured/PublishResp_views.publish_example.json'), body, ignore)).toEqual([]);
  });

  it('users.info ⊆ schema/api/users.info.json, with the fields Baton reads', async () => {
    const res = await client.users.info({ user: 'U0ADMINALEX' });
    const { response_metadata: _meta, ...body } = res;
    expect(unknownTo(sample('schema/api/users.info.json'), body)).toEqual([]);
    const needed = {
      user: {
        is_admin: true,
        is_owner: true,
        tz: '',
        tz_offset: 0,
        real_name: '',
        profile: { display_name: '', real_name: '', email: '' },
      },
    };
    expect(missingFrom(needed, body)).toEqual([]);
  });
});

describe('interaction payloads ⊆ Slack schema unions', () => {
  const buttonCard = {
    channel: 'C0HANDOFFS',
    text: 'card',
    blocks: [
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'claim',
            value: 'c1',
            text: { type: 'plain_text', text: 'Claim', emoji: true },
          },
        ],
      },
    ],
  };

  it('block_actions ⊆ schema/interactions/BlockActionPayload.json', async () => {
    const posted = await client.chat.postMessage(buttonCard);
    await sandbox.clickButton(SANDBOX_AGENT_DANA, 'C0HANDOFFS', posted.ts!, 'claim');
    const got = await receiver.waitFor(
      (r) =>
        r.parsed.type === 'block_actions' &&
        (r.parsed.container as { message_ts?: string }).message_ts === posted.ts,
    );
    // Message blocks are the app's own Block Kit (and rich_text), checked by the validator instead.
    expect(
      unknownTo(sample('schema/interactions/BlockActionPayload.json'), got.parsed, ['message.blocks']),
    ).toEqual([]);
    const needed = [
      'type',
      'user',
      'api_app_id',
      'token',
      'container',
      'trigger_id',
      'team',
      'channel',
      'message',
      'state',
      'response_url',
      'actions',
    ];
    expect(needed.filter((k) => !(k in got.parsed))).toEqual([]);
  });

  it('slash command ⊆ schema/interactions/SlashCommandPayload.json (form values are strings)', async () => {
    await sandbox.runSlashCommand(SANDBOX_AGENT_DANA, 'C0HANDOFFS', 'status');
    const got = await receiver.waitFor((r) => typeof r.parsed.command === 'string');
    const schema = sample('schema/interactions/SlashCommandPayload.json') as Record<string, unknown>;
    const asForm = Object.fromEntries(Object.keys(schema).map((k) => [k, '']));
    expect(unknownTo(asForm, got.parsed)).toEqual([]);
    const enterpriseOnly = ['enterprise_id', 'enterprise_name'];
    expect(Object.keys(schema).filter((k) => !enterpriseOnly.includes(k) && !(k in got.parsed))).toEqual([]);
  });

  it('view_submission ⊆ schema/interactions/ViewSubmissionPayload.json', async () => {
    const posted = await client.chat.postMessage(buttonCard);
    await sandbox.clickButton(SANDBOX_AGENT_SAM, 'C0HANDOFFS', posted.ts!, 'claim');
    const click = await receiver.waitFor(
      (r) => r.parsed.type === 'block_actions' && (r.parsed.user as { id: string }).id === SANDBOX_AGENT_SAM,
    );
    const opened = await client.views.open({
      trigger_id: String(click.parsed.trigger_id),
      view: {
        type: 'modal',
        callback_id: 'note',
        title: { type: 'plain_text', text: 'Note' },
        submit: { type: 'plain_text', text: 'Save' },
        blocks: [
          {
            type: 'input',
            block_id: 'b',
            label: { type: 'plain_text', text: 'Note' },
            element: { type: 'plain_text_input', action_id: 'a' },
          },
        ],
      },
    });
    await sandbox.submitView(SANDBOX_AGENT_SAM, opened.view!.id!, { b: { a: 'text' } });
    const got = await receiver.waitFor((r) => r.parsed.type === 'view_submission');
    // response_urls: real Slack sends it (bolt-python fixtures); the Java union never saw it.
    const ignore = ['view.blocks', 'response_urls'];
    expect(unknownTo(sample('schema/interactions/ViewSubmissionPayload.json'), got.parsed, ignore)).toEqual(
      [],
    );
    const needed = {
      type: '',
      team: {},
      user: { id: '' },
      api_app_id: '',
      token: '',
      trigger_id: '',
      view: { id: '', callback_id: '', private_metadata: '', state: {}, hash: '', root_view_id: '' },
    };
    expect(missingFrom(needed, got.parsed)).toEqual([]);
  });
});
