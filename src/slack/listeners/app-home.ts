import type { App } from '@slack/bolt';
import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { REASON_LABELS } from '../../handoff/triggers.js';
import { computeDeskStats } from '../../desk/desk-stats.js';
import { deliveryHealth, describeDeliveryHealth, needsAttention } from '../../desk/delivery-health.js';
import { takeOver } from '../../handoff/takeover.js';
import { isSupportTeam } from '../../desk/command-rights.js';
import { listLiveBotConversations } from '../../conversation/conversation-repository.js';
import { listOpenHandoffs } from '../../handoff/handoff-lists.js';
import { formatDuration } from '../handoff-card.js';
import { escapeMrkdwn, truncate } from '../mrkdwn.js';
import { inlineUntrusted, plainLabel } from '../untrusted-mrkdwn.js';
import type { SlackListenerDeps } from '../slack-deps.js';
import { buildStatsHomeSection } from '../stats-blocks.js';
import { listenerLog } from './listener-log.js';
import { lookBackAtTriggerChange } from '../../desk/trigger-replay-service.js';
import { describeLookBack } from '../trigger-replay-blocks.js';
import { maskedText, maskStatsExamples } from '../../privacy/mask-for-slack.js';

/** One button per conversation, and action ids must be unique within a view: the id carries a suffix. */
export const TAKEOVER_ACTION = 'baton_takeover';
const TAKEOVER_PATTERN = /^baton_takeover(:|$)/;

const takeoverClick = z.object({
  user: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ value: z.string().regex(/^c_[A-Za-z0-9_-]{16,64}$/) })).min(1),
});

/** App Home: the desk at a glance: stats, open handoffs, and live AI conversations an agent can take over. */
export function registerAppHome(app: App, deps: SlackListenerDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const log = listenerLog(deps.services.log, 'app_home_opened', body);
    // Stats and permalinks take a moment: answer Slack first, publish right after.
    void deps.services.track(
      publishHome(deps, client, event.user).catch((error: unknown) =>
        log.warn({ err: error }, 'could not publish the App Home'),
      ),
    );
  });

  app.action(TAKEOVER_PATTERN, async ({ ack, body, client }) => {
    await ack();
    const parsed = takeoverClick.safeParse(body);
    if (!parsed.success) return;
    const userId = parsed.data.user.id;
    const conversationId = parsed.data.actions[0]!.value;
    const log = listenerLog(deps.services.log, 'app_home_takeover', body).child({ conversationId });
    // The summary (maybe an LLM call) and routing take longer than Slack's 3 s: done after the answer.
    void deps.services.track(
      (async () => {
        if (!(await isAgent(deps, userId))) return;
        const result = await takeOver(deps.services, conversationId, userId);
        if (result.kind === 'claimed') log.info({ handoffId: result.handoffId }, 'taken over');
        else log.info({ result: result.kind }, 'takeover not possible');
        await publishHome(deps, client, userId);
      })().catch((error: unknown) => log.error({ err: error }, 'takeover failed')),
    );
  });
}

/** A live chat in the Home tab: the customer's name, then their latest line, one line in a quote. */
export function liveRowText(c: {
  customerName?: string;
  messages: number;
  latest?: { text: string };
}): string {
  const latest = inlineUntrusted(c.latest?.text ?? '', 200) || '(no text)';
  return truncate(`*${plainLabel(c.customerName ?? '')}* · ${c.messages} messages\n>${latest}`, 3000);
}

/** Live customer chats are for the support team: members of the handoff channel, and admins. */
const isAgent = (deps: SlackListenerDeps, userId: string) =>
  isSupportTeam(deps.services.workspace, deps.handoffChannel, userId);

async function publishHome(deps: SlackListenerDeps, client: WebClient, userId: string) {
  const services = deps.services;
  if (!(await isAgent(deps, userId))) {
    await client.views.publish({
      user_id: userId,
      view: {
        type: 'home',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Baton support desk' } },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `Baton hands customer chats to the support team in <#${deps.handoffChannel}>. Ask to join that channel to help.`,
            },
          },
        ],
      },
    });
    return;
  }
  const now = services.now().getTime();
  const kinds = (await services.settings()).redaction.masked;
  const [stats, open, live, health, lookBack] = await Promise.all([
    computeDeskStats(services, 7).then((s) => maskStatsExamples(s, kinds)),
    listOpenHandoffs(services.db, 15),
    listLiveBotConversations(services.db, 10),
    deliveryHealth(services.db),
    lookBackAtTriggerChange(services),
  ]);
  // Parked and failed Slack deliveries are shown first: they are kept, and someone has to look.
  const attention: KnownBlock[] = needsAttention(health)
    ? [
        { type: 'header', text: { type: 'plain_text', text: 'Needs attention' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: truncate(describeDeliveryHealth(health).map(escapeMrkdwn).join('\n'), 3000),
          },
        },
        { type: 'divider' },
      ]
    : [];
  const handoffRows: SectionBlock[] = await Promise.all(
    open.map(async (h) => {
      const link = h.card
        ? (
            await client.chat
              .getPermalink({ channel: h.card.channel, message_ts: h.card.ts })
              .catch(() => undefined)
          )?.permalink
        : undefined;
      const who = h.claimedBy
        ? `with <@${h.claimedBy.slackUserId}>`
        : `waiting ${formatDuration(now - Date.parse(h.triggeredAt))}`;
      const title = link ? `<${link}|${REASON_LABELS[h.reason]}>` : REASON_LABELS[h.reason];
      return { type: 'section', text: { type: 'mrkdwn', text: `*${title}* · ${who}` } };
    }),
  );
  const liveRows: SectionBlock[] = live.map((c) => ({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: liveRowText(
        c.latest ? { ...c, latest: { ...c.latest, text: maskedText(c.latest.text, kinds) } } : c,
      ),
      // Customer text: no links or mentions Slack would make of it by itself.
      verbatim: true,
    },
    accessory: {
      type: 'button',
      action_id: `${TAKEOVER_ACTION}:${c.id}`,
      text: { type: 'plain_text', text: 'Take over' },
      value: c.id,
    },
  }));
  const empty = (text: string): ContextBlock[] => [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Baton support desk' } },
    ...attention,
    ...buildStatsHomeSection(stats),
    // What the last trigger change did, measured on the conversations since (not a replay).
    ...(lookBack
      ? [
          { type: 'divider' } as const,
          { type: 'header', text: { type: 'plain_text', text: 'Last trigger change' } } as const,
          { type: 'section', text: { type: 'mrkdwn', text: describeLookBack(lookBack) } } as const,
        ]
      : []),
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Open handoffs' } },
    ...(handoffRows.length > 0 ? handoffRows : empty('No open handoffs. :tada:')),
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Live with the assistant' } },
    ...(liveRows.length > 0 ? liveRows : empty('No customer is chatting with the assistant right now.')),
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Run `/baton help` for commands.' }] },
  ];
  // A Home tab holds at most 100 blocks.
  await client.views.publish({ user_id: userId, view: { type: 'home', blocks: blocks.slice(0, 100) } });
}
