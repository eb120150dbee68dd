import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSandbox } from '../sandbox/create-sandbox.js';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_AGENT_SAM as SAM,
  SANDBOX_BOT_USER_ID as BOT,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../sandbox/default-workspace.js';
import type { SlackSandbox } from '../sandbox/types.js';
import { createSlackWorkspace } from './slack-workspace.js';

let sandbox: SlackSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('Slack workspace lookups for routing', () => {
  it('leaves out a member Slack could not describe in time, and does not cache that partial list', async () => {
    sandbox = await startSlackSandbox({ port: 0, host: '127.0.0.1', botToken: 'xoxb-t', signingSecret: 's' });
    const client = new WebClient('xoxb-t', { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
    const workspace = createSlackWorkspace(client, {
      botUserId: BOT,
      admins: [],
      budgets: { membersMs: 5000, userMs: 1000 },
    });
    // The first users.info (Dana's) takes 2.5 s: past the 1 s budget.
    sandbox.setFault('users.info', { kind: 'slow', ms: 2500 }, 1);
    expect(await workspace.channelMembers(HANDOFFS)).toEqual([SAM, ALEX]);
    await new Promise((r) => setTimeout(r, 1700));
    // Dana's answer has arrived meanwhile; the list is built again, complete, and then cached.
    expect(await workspace.channelMembers(HANDOFFS)).toEqual([DANA, SAM, ALEX]);
    expect(await workspace.channelMembers(HANDOFFS)).toEqual([DANA, SAM, ALEX]);
    expect(sandbox.calls().filter((c) => c.method === 'conversations.members')).toHaveLength(2);
  });
});
