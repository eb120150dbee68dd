import type { App } from '@slack/bolt';
import { z } from 'zod';
import { isSupportTeam } from '../../desk/command-rights.js';
import { revealMasked, type RevealTarget } from '../../handoff/reveal.js';
import { REVEAL_ACTION } from '../handoff-card.js';
import type { SlackListenerDeps } from '../slack-deps.js';
import { plainLabel, quoteUntrusted } from '../untrusted-mrkdwn.js';
import { CARD_NOT_POSTED, deferUntilCardRecorded, listenerWaitMs } from './card-wait.js';
import { listenerLog } from './listener-log.js';

const revealPayload = z.object({
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().min(1) }),
  message: z.object({ ts: z.string().min(1), thread_ts: z.string().optional() }),
  actions: z
    .array(
      // action_ts is only a timing hint: an empty or odd one counts as missing (card-wait.ts).
      z.object({
        value: z.string().regex(/^[hm]:[A-Za-z0-9_-]{1,100}$/),
        action_ts: z.string().max(40).optional(),
      }),
    )
    .min(1),
});

const REFUSALS = {
  not_found: 'That message is no longer there.',
  elsewhere: 'That button does not belong to a card in this channel.',
  nothing_masked: 'Nothing in it is masked any more.',
  not_agent: 'Only members of this channel and admins can reveal masked details.',
  card_pending: CARD_NOT_POSTED,
} as const;

/** The Reveal buttons on masked cards and thread lines: the original, to the clicker only, audited. */
export function registerRevealAction(app: App, deps: SlackListenerDeps): void {
  app.action(REVEAL_ACTION, async ({ ack, body, client }) => {
    await ack();
    const log = listenerLog(deps.services.log, 'reveal', body);
    const parsed = revealPayload.safeParse(body);
    if (!parsed.success) {
      log.warn('reveal refused: payload not understood');
      return;
    }
    const { user, channel, message, actions } = parsed.data;
    const { value, action_ts: actedTs } = actions[0]!;
    // Masked data is for the support team: members of the channel the card is in, and admins.
    if (!(await isSupportTeam(deps.services.workspace, channel.id, user.id))) {
      log.warn('reveal refused: not a member of the channel');
      // Slack refuses an ephemeral to someone outside the channel (they may be reading a public one):
      // then there is no one to tell, and the click is not worth retrying.
      await client.chat
        .postEphemeral({ channel: channel.id, user: user.id, text: REFUSALS.not_agent })
        .catch(() => undefined);
      return;
    }
    const onCard = value.startsWith('h:');
    const target: RevealTarget = onCard
      ? { handoffId: value.slice(2), cardTs: message.ts }
      : { messageId: value.slice(2), threadTs: message.thread_ts };
    const waitMs = onCard ? listenerWaitMs(deps.services.now(), actedTs) : undefined;
    const result = await revealMasked(deps.services, user.id, channel.id, target, waitMs);
    const pending = !result.ok && result.reason === 'card_pending';
    // Kept and tried again until the card is recorded, as a Claim is, or the agent is told after a minute.
    if (pending) deferUntilCardRecorded(deps.services.now(), actedTs, 'a reveal on a card');
    // Who revealed what is in the audit log; the values themselves never reach the log.
    log.info({ revealed: result.ok, ...(result.ok ? {} : { reason: result.reason }) }, 'reveal asked');
    const text = result.ok
      ? [
          ':unlock: *Revealed to you only* (recorded in the audit log):',
          ...result.lines.map((l) => `*${plainLabel(l.label)}:*\n${quoteUntrusted(l.text, 4000)}`),
        ].join('\n')
      : REFUSALS[result.reason];
    // Beside the button: in the thread for a thread line, in the channel for the card (a card with
    // replies carries its own ts as thread_ts). A click given up on is answered in the card's thread, as a
    // Claim's is.
    const threadTs = pending ? message.ts : message.thread_ts !== message.ts ? message.thread_ts : undefined;
    // Once revealed (and audited), a failed ephemeral is not worth a retry: the inbox would reveal and
    // audit it a second time. The agent can click again.
    await client.chat
      .postEphemeral({
        channel: channel.id,
        user: user.id,
        text,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      })
      .catch((error: unknown) => log.warn({ err: error }, 'reveal answer could not be shown'));
  });
}
