import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';

type Sandbox = Awaited<ReturnType<typeof startSlackSandbox>>;
let sandbox: Sandbox;
let app: App;

beforeEach(async () => {
  sandbox = await startSlackSandbox({ signingSecret: 'bolt-secret', botToken: 'xoxb-bolt' });
  app = new App({
    token: 'xoxb-bolt',
    signingSecret: 'bolt-secret',
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } },
  });
});

afterEach(async () => {
  await app.stop();
  await sandbox.close();
});

/** The real Bolt HTTP receiver accepts the sandbox's signatures, content types and identities. */
it('drives a real Bolt app: messages, ignoreSelf, buttons and respond()', async () => {
  const seen: string[] = [];
  app.message(async ({ message, say }) => {
    seen.push((message as { text: string }).text);
    await say({
      text: `echo: ${(message as { text: string }).text}`,
      thread_ts: (message as { ts: string }).ts,
    });
  });
  app.action('claim', async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: 'claimed' });
  });
  const server = (await app.start(0)) as unknown as { address(): AddressInfo };
  sandbox.setAppRequestUrl(`http://127.0.0.1:${server.address().port}/slack/events`);

  const { ts } = await sandbox.postMessageAs(SANDBOX_AGENT_DANA, 'C0HANDOFFS', 'hello');
  const reply = await sandbox.waitFor(() => sandbox.readThread('C0HANDOFFS', ts)[1]);
  expect(reply).toMatchObject({ text: 'echo: hello', user: sandbox.botUserId });
  // The bot's echo came back as a message event too; ignoreSelf must have dropped it. Events are
  // delivered in order, so once a second post is answered the echo has been through Bolt.
  const second = await sandbox.postMessageAs(SANDBOX_AGENT_DANA, 'C0HANDOFFS', 'again');
  await sandbox.waitFor(() => sandbox.readThread('C0HANDOFFS', second.ts)[1]);
  expect(seen).toEqual(['hello', 'again']);
  const echoes = sandbox.deliveries().filter((d) => d.body.includes('"bot_id"'));
  expect(echoes[0]?.result.status).toBe(200);

  const card = await app.client.chat.postMessage({
    channel: 'C0HANDOFFS',
    text: 'card',
    blocks: [
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'claim', text: { type: 'plain_text', text: 'Claim' } }],
      },
    ],
  });
  const click = await sandbox.clickButton(SANDBOX_AGENT_DANA, 'C0HANDOFFS', card.ts!, 'claim');
  expect(click.status).toBe(200);
  await sandbox.waitFor(() => sandbox.readChannel('C0HANDOFFS').find((m) => m.text === 'claimed'));
});
