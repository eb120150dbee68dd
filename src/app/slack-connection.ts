import { randomBytes } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { z } from 'zod';
import { startSlackSandbox } from '../sandbox/create-sandbox.js';
import type { SlackSandbox } from '../sandbox/types.js';
import type { Config } from './config.js';
import { usesLocalSlack } from './config.js';

export interface SlackConnection {
  botToken: string;
  /** Empty in Socket Mode with real Slack (nothing to verify). */
  signingSecret: string;
  appToken?: string;
  apiUrl: string;
  botId: string;
  botUserId: string;
  handoffChannel: string;
  client: WebClient;
  /** Present when Baton runs against the bundled local workspace. */
  sandbox?: SlackSandbox;
}

/** What auth.test's failure may tell: Slack's error code (`invalid_auth`) or a network message. */
const authFailure = z.object({
  data: z.object({ error: z.string() }).optional().catch(undefined),
  message: z.string().optional().catch(undefined),
});

export class SlackConnectionError extends Error {
  readonly code = 'slack_unreachable';
}

/**
 * Real Slack when a bot token is configured; otherwise starts the local workspace with fresh
 * random credentials (never a fixed default secret). Either way auth.test must pass before start.
 */
export async function connectSlack(config: Config, log: Logger): Promise<SlackConnection> {
  let botToken = config.SLACK_BOT_TOKEN;
  let signingSecret = config.SLACK_SIGNING_SECRET;
  let apiUrl = config.SLACK_API_URL;
  let handoffChannel = config.SLACK_HANDOFF_CHANNEL;
  let sandbox: SlackSandbox | undefined;
  if (usesLocalSlack(config)) {
    botToken = `xoxb-local-${randomBytes(12).toString('hex')}`;
    signingSecret = randomBytes(24).toString('hex');
    sandbox = await startSlackSandbox({
      port: config.LOCAL_SLACK_PORT,
      host: config.HOST,
      allowedHosts: config.LOCAL_SLACK_ALLOWED_HOSTS,
      uiToken: config.LOCAL_SLACK_UI_TOKEN,
      botToken,
      signingSecret,
      // With an app token set, the local workspace speaks Socket Mode too, so that path can be tried without Slack.
      appToken: config.SLACK_APP_TOKEN,
    });
    apiUrl = sandbox.apiUrl;
    handoffChannel = config.SLACK_HANDOFF_CHANNEL ?? sandbox.handoffChannelId;
    log.info({ url: sandbox.url }, 'local Slack workspace started');
  }
  const client = new WebClient(botToken, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  });
  try {
    const auth = await client.auth.test();
    if (!auth.user_id || !auth.bot_id)
      throw new Error('auth.test did not return a bot user; is SLACK_BOT_TOKEN a bot token (xoxb-)?');
    return {
      botToken: botToken!,
      signingSecret: signingSecret ?? '',
      appToken: config.SLACK_APP_TOKEN,
      apiUrl,
      botId: auth.bot_id,
      botUserId: auth.user_id,
      handoffChannel: handoffChannel!,
      client,
      sandbox,
    };
  } catch (error) {
    await sandbox?.close();
    const failure = authFailure.safeParse(error).data;
    const detail = failure?.data?.error ?? failure?.message ?? String(error);
    throw new SlackConnectionError(`Could not authenticate with Slack at ${apiUrl}: ${detail}`, {
      cause: error,
    });
  }
}
