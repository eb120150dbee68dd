import { LogLevel } from '@slack/logger';
import { SocketModeClient } from '@slack/socket-mode';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';

type Sandbox = Awaited<ReturnType<typeof startSlackSandbox>>;
let sandbox: Sandbox;
let client: SocketModeClient;

beforeEach(async () => {
  sandbox = await startSlackSandbox({ signingSecret: 's', botToken: 'xoxb-1', appToken: 'xapp-1' });
  client = new SocketModeClient({
    appToken: 'xapp-1',
    logLevel: LogLevel.ERROR,
    autoReconnectEnabled: false,
    clientOptions: { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } },
  });
});

afterEach(async () => {
  await client.disconnect().catch(() => undefined);
  await sandbox.close();
});

it('connects the real SocketModeClient and delivers events and commands over the socket', async () => {
  await client.start();
  const events: Array<Record<string, unknown>> = [];
  // The client emits events_api envelopes under the inner event type.
  client.on('message', async ({ ack, body }) => {
    events.push(body as Record<string, unknown>);
    await ack();
  });
  client.on('slash_commands', async ({ ack }) => {
    await ack({ text: 'pong' });
  });

  const posted = await sandbox.postMessageAs(SANDBOX_AGENT_DANA, 'C0HANDOFFS', 'over the socket');
  expect(posted.delivery.status).toBe(200);
  expect(events[0]).toMatchObject({
    type: 'event_callback',
    event: { type: 'message', text: 'over the socket' },
  });

  const command = await sandbox.runSlashCommand(SANDBOX_AGENT_DANA, 'C0HANDOFFS', 'ping');
  expect(JSON.parse(command.body)).toEqual({ text: 'pong' });
  expect(sandbox.ephemeralsFor(SANDBOX_AGENT_DANA).map((e) => e.text)).toEqual(['pong']);
  expect(sandbox.deliveries().map((d) => d.contentType)).toEqual(['socket-mode', 'socket-mode']);
});

it('refuses the bot token for apps.connections.open', async () => {
  const wrong = new SocketModeClient({
    appToken: 'xoxb-1',
    logLevel: LogLevel.ERROR,
    autoReconnectEnabled: false,
    clientOptions: { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } },
  });
  await expect(wrong.start()).rejects.toThrow();
  const call = await sandbox.waitForCall((c) => c.method === 'apps.connections.open');
  expect(call.response).toEqual({ ok: false, error: 'not_allowed_token_type' });
});
