import type { App } from '@slack/bolt';
import { REASON_LABELS } from '../../../domain/triggers.js';
import { listOpenHandoffs } from '../../storage/handoff-repository.js';
import { formatDuration } from '../handoff-card.js';
import type { SlackListenerDeps } from '../slack-deps.js';

/** App Home: the open handoffs at a glance, with links to their threads. */
export function registerAppHome(app: App, deps: SlackListenerDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const open = await listOpenHandoffs(deps.services.db);
    const now = deps.services.now().getTime();
    const rows = await Promise.all(
      open.map(async (h) => {
        const link = h.card
          ? (
              await client.chat
                .getPermalink({ channel: h.card.channel, message_ts: h.card.ts })
                .catch(() => undefined)
            )?.permalink
          : undefined;
        const who = h.claimedBy
          ? `claimed by <@${h.claimedBy.slackUserId}>`
          : `waiting ${formatDuration(now - Date.parse(h.triggeredAt))}`;
        const title = link ? `<${link}|${REASON_LABELS[h.reason]}>` : REASON_LABELS[h.reason];
        return { type: 'section', text: { type: 'mrkdwn', text: `*${title}* · ${who}` } };
      }),
    );
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Baton: open handoffs' } },
          ...(rows.length > 0
            ? rows
            : [{ type: 'section', text: { type: 'mrkdwn', text: 'No open handoffs. :tada:' } }]),
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'Run `/baton help` for commands.' }] },
        ],
      },
    });
  });
}
