import type { KnownBlock } from '@slack/types';
import { describeTriggerChange, triggerCommandText } from '../handoff/trigger-change.js';
import type { ReplayExample, ReplaySide } from '../handoff/trigger-replay.js';
import { HANDOFF_REASONS, REASON_LABELS } from '../handoff/triggers.js';
import {
  REPLAY_DAYS,
  type TriggerChangeLookBack,
  type TriggerReplayReport,
} from '../desk/trigger-replay-service.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { quotedInline } from './untrusted-mrkdwn.js';

export const TRIGGERS_APPLY_ACTION = 'baton_triggers_apply';

const percent = (part: number, whole: number) =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1).replace(/\.0$/, '')}%`;

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, 3000) },
});
/** A section that may quote customers: nothing in it is turned into a link or mention by Slack itself. */
const untrustedSection = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, 3000), verbatim: true },
});

function byReason(now: ReplaySide, proposed: ReplaySide): string[] {
  return HANDOFF_REASONS.filter((r) => now.byReason[r] > 0 || proposed.byReason[r] > 0).map(
    (r) => `• ${REASON_LABELS[r]}: ${now.byReason[r]} → ${proposed.byReason[r]}`,
  );
}

/**
 * One example: its conversation, why, a link to its card when it has one, and (for the support team)
 * the customer's line it hands off on, already masked by the caller, made inert here.
 */
function exampleLine(e: ReplayExample, links: ReadonlyMap<string, string>, showText: boolean): string {
  const link = links.get(e.conversationId);
  const where = link ? `<${link}|card>` : 'no card';
  const line = `• \`${e.conversationId}\` · ${REASON_LABELS[e.reason]} · ${where}`;
  return showText ? `${line}\n      ${quotedInline(e.text, 150)}` : line;
}

/**
 * The private answer to `/baton triggers test …`: handoffs now and with the change, by reason, the
 * conversations that would switch either way with a few examples, and (for admins) a button that
 * applies the change.
 */
export function buildReplayReply(
  report: TriggerReplayReport,
  opts: {
    canApply: boolean;
    links: ReadonlyMap<string, string>;
    /** Whether the examples show the customer's words (support team only; masked by the caller). */
    showText: boolean;
  },
): { text: string; blocks: KnownBlock[] } {
  const what = escapeMrkdwn(describeTriggerChange(report.change));
  const n = report.conversations;
  const headline =
    n === 0
      ? `*What if: ${what}*\nThe assistant decided on no conversation in the last ${report.days} days, so there is nothing to replay yet. (Decisions are kept from the version that added this test on.)`
      : `*What if: ${what}*\nReplayed ${n} conversations (${report.decisions} customer messages the assistant decided on) from the last ${report.days} days through the same trigger rules. Nothing was sent and nothing has changed yet.`;
  const blocks: KnownBlock[] = [section(headline)];
  if (n > 0) {
    blocks.push(
      section(
        [
          `*Handoffs:* ${report.now.handoffs} of ${n} now (${percent(report.now.handoffs, n)}) → ${report.proposed.handoffs} (${percent(report.proposed.handoffs, n)}) with the change`,
          ...byReason(report.now, report.proposed),
        ].join('\n'),
      ),
    );
    for (const [title, way] of [
      ['Would hand off, and do not now', report.started],
      ['Hand off now, and would not', report.stopped],
    ] as const) {
      const lines = way.examples.map((e) => exampleLine(e, opts.links, opts.showText));
      blocks.push(
        untrustedSection(
          [
            `*${title}:* ${way.count}${way.count > lines.length && lines.length > 0 ? ` (newest ${lines.length})` : ''}`,
            ...lines,
          ].join('\n'),
        ),
      );
    }
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${report.moved > 0 ? `${report.moved} would hand off at another message or for another reason. ` : ''}Only the decisions the assistant made are known: once a conversation handed off, it decided nothing more, so a change that would have kept one with the assistant is followed up to that point only.`,
        },
      ],
    });
  }
  const command = triggerCommandText(report.change);
  // Slack refuses a button value over 2,000 characters (and with it the whole report).
  const fits = command.length <= 2000;
  blocks.push(
    opts.canApply && fits
      ? {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: TRIGGERS_APPLY_ACTION,
              style: 'primary',
              text: { type: 'plain_text', text: 'Apply this change' },
              value: command,
              confirm: {
                title: { type: 'plain_text', text: 'Change the triggers?' },
                text: {
                  type: 'plain_text',
                  text: truncate(`Apply: ${describeTriggerChange(report.change)}`, 300),
                },
                confirm: { type: 'plain_text', text: 'Apply' },
                deny: { type: 'plain_text', text: 'Cancel' },
              },
            },
          ],
        }
      : {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: !opts.canApply
                ? 'Only Baton admins (BATON_ADMINS) and workspace admins or owners can apply it.'
                : 'Too long to apply from here: run the same change with `/baton trigger …`.',
            },
          ],
        },
  );
  const summary =
    n === 0
      ? `What if ${describeTriggerChange(report.change)}: nothing to replay yet.`
      : `What if ${describeTriggerChange(report.change)}: handoffs ${percent(report.now.handoffs, n)} → ${percent(report.proposed.handoffs, n)} of ${n} conversations.`;
  return { text: summary, blocks };
}

/** "Since <@U…> lowered confidence to 0.5 (3 days ago): handoffs 18% → 24%", for the App Home. */
export function describeLookBack(look: TriggerChangeLookBack, days = REPLAY_DAYS): string {
  const what =
    look.changes.length > 0 ? look.changes.map(escapeMrkdwn).join(', ') : 'saved the triggers unchanged';
  const ago =
    look.daysSince < 1
      ? 'less than a day ago'
      : `${Math.floor(look.daysSince)} day${look.daysSince >= 2 ? 's' : ''} ago`;
  const rate = (r: { conversations: number; handedOff: number }) =>
    r.conversations === 0
      ? 'no conversations'
      : `${percent(r.handedOff, r.conversations)} of ${r.conversations} conversation${r.conversations === 1 ? '' : 's'}`;
  return [
    `*Since <@${look.actor}> ${what}* (${ago})`,
    `Handoffs: ${rate(look.before)} in the ${days} days before → ${rate(look.since)} since`,
  ].join('\n');
}
