// Realistic content for looking at the agent view: a handoff card posted through the real
// Web API client (so it passes the sandbox's Block Kit validation like Baton's would), a
// thread with replies and an ephemeral tip. Used by scripts/sandbox-screenshot.ts and the
// browser test.
import { type KnownBlock, WebClient } from '@slack/web-api';
import type { SlackSandbox } from '../types.js';

/** Customer text as Baton would embed it: escaped, so it must render literally. */
export const HOSTILE_TEXT = '&lt;!channel&gt; &lt;https://evil.example|Reset password&gt;';
export const HOSTILE_RENDERED = '<!channel> <https://evil.example|Reset password>';
export const CARD_HEADER = 'Customer needs a human';

export interface DemoSeed {
  cardTs: string;
  replyTs: string;
  agentId: string;
}

export function sandboxClient(
  sandbox: Pick<SlackSandbox, 'apiUrl'>,
  token = 'xoxb-local-sandbox',
): WebClient {
  return new WebClient(token, { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
}

export function handoffCardBlocks(conversationId: string): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: `🙋 ${CARD_HEADER}`, emoji: true } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Maria Lopez* asked about a *double charge* on invoice `INV-2291` and wants a person.',
      },
      fields: [
        { type: 'mrkdwn', text: '*Customer*\nMaria Lopez (maria@acme.test)' },
        { type: 'mrkdwn', text: '*Plan*\nBusiness · since 2021' },
        { type: 'mrkdwn', text: '*Waiting*\n4 min' },
        { type: 'mrkdwn', text: '*Sentiment*\n:red_circle: frustrated' },
      ],
    },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Last message*\n&gt; I was charged twice this month. ${HOSTILE_TEXT}` },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Conversation \`${conversationId}\` · Web chat · AI confidence 0.31 · <!here>`,
        },
      ],
    },
    { type: 'divider' },
    {
      type: 'actions',
      block_id: 'handoff_actions',
      elements: [
        {
          type: 'button',
          action_id: 'handoff_claim',
          style: 'primary',
          text: { type: 'plain_text', text: 'Claim' },
          value: conversationId,
        },
        {
          type: 'button',
          action_id: 'handoff_transcript',
          text: { type: 'plain_text', text: 'View transcript' },
          value: conversationId,
        },
        {
          type: 'button',
          action_id: 'handoff_close',
          style: 'danger',
          text: { type: 'plain_text', text: 'Close' },
          value: conversationId,
        },
      ],
    },
  ];
}

export async function seedDemo(sandbox: SlackSandbox, client = sandboxClient(sandbox)): Promise<DemoSeed> {
  const channel = sandbox.handoffChannelId;
  const agent = sandbox.users().find((u) => !u.isBot);
  if (!agent) throw new Error('the sandbox has no human users');
  await client.chat.postMessage({
    channel,
    text: `Good morning <!here> :wave: 2 conversations are waiting. Handoffs land in <#${channel}>; <@${agent.id}> is on call.`,
  });
  const card = await client.chat.postMessage({
    channel,
    text: `${CARD_HEADER}: Maria Lopez (double charge)`,
    blocks: handoffCardBlocks('conv_8f2a'),
  });
  const cardTs = String(card.ts);
  await client.chat.postMessage({
    channel,
    thread_ts: cardTs,
    text: '*Transcript so far*\n&gt; Hi, I was charged twice for March.\n&gt; Can someone look at this?\nBaton answered with the refund policy; confidence was low, so it handed off.',
  });
  const reply = await sandbox.postMessageAs(
    agent.id,
    channel,
    'Taking a look now, checking Stripe for INV-2291.',
    {
      threadTs: cardTs,
    },
  );
  await client.chat.postEphemeral({
    channel,
    user: agent.id,
    text: 'Tip: type `/baton help` to see what Baton can do here.',
  });
  return { cardTs, replyTs: reply.ts, agentId: agent.id };
}
