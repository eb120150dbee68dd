import type { App } from '@slack/bolt';
import { z } from 'zod';
import { deleteAgentReply, editAgentReply, relayAgentReply } from '../../handoff/relay.js';
import { findHandoffByThread } from '../../handoff/handoff-repository.js';
import { slackToPlainText } from '../mrkdwn.js';
import type { SlackListenerDeps } from '../slack-deps.js';
import { deferUntilCardRecorded } from './card-wait.js';
import { envelopeEventId, listenerLog } from './listener-log.js';

const humanReply = z.object({
  type: z.literal('message'),
  // A reply also sent to the channel, or one with a file, is still a reply.
  subtype: z.enum(['thread_broadcast', 'file_share']).optional(),
  bot_id: z.undefined().optional(),
  user: z.string().min(1),
  text: z.string().default(''),
  ts: z.string().min(1),
  thread_ts: z.string().min(1),
  channel: z.string().min(1),
  // Who posted the thread's first message: Slack sends it with every reply.
  parent_user_id: z.string().optional(),
});

const changed = z.object({
  subtype: z.literal('message_changed'),
  channel: z.string(),
  message: z.object({
    user: z.string().optional(),
    text: z.string(),
    ts: z.string(),
    thread_ts: z.string().optional(),
    bot_id: z.string().optional(),
  }),
});

const deleted = z.object({
  subtype: z.literal('message_deleted'),
  channel: z.string(),
  deleted_ts: z.string(),
  previous_message: z.object({ thread_ts: z.string().optional() }).optional(),
});

/** Replies, edits and deletions in handoff threads: the agent side of the relay. */
export function registerThreadMessages(app: App, deps: SlackListenerDeps): void {
  async function plain(text: string): Promise<string> {
    const ids = [...text.matchAll(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!);
    const names = new Map<string, string>();
    for (const id of new Set(ids)) names.set(id, await deps.services.agents.displayName(id));
    return slackToPlainText(text, (id) => names.get(id));
  }

  async function isClaimer(e: { channel: string; thread_ts: string; user: string }) {
    const handoff = await findHandoffByThread(deps.services.db, e.channel, e.thread_ts);
    return handoff?.claimedBy?.slackUserId === e.user;
  }

  app.event('message', async ({ event, body, client, context }) => {
    // Bolt's message types are a wide union: the shapes Baton acts on are parsed from the event itself.
    // Any channel may hold handoff threads (team routes, transfers); threads Baton does not know are ignored.
    const eventLog = listenerLog(deps.services.log, 'thread_messages', body);
    const reply = humanReply.safeParse(event);
    if (reply.success) {
      const e = reply.data;
      if (e.thread_ts === e.ts) return;
      const log = eventLog.child({ channel: e.channel, threadTs: e.thread_ts });
      const hasFile = e.subtype === 'file_share';
      const outcome = e.text.trim()
        ? await relayAgentReply(deps.services, {
            eventId: envelopeEventId(body) ?? `${e.channel}:${e.ts}`,
            channel: e.channel,
            threadTs: e.thread_ts,
            ts: e.ts,
            userId: e.user,
            text: e.text,
            rootByBaton: e.parent_user_id === context.botUserId,
            plainText: await plain(e.text),
          })
        : 'empty';
      log.debug({ outcome, ts: e.ts }, 'thread reply handled');
      // Never drop an agent's words silently: say what did not reach the customer, and why.
      const tell = (text: string) =>
        client.chat
          .postEphemeral({ channel: e.channel, user: e.user, thread_ts: e.thread_ts, text })
          .catch((error: unknown) => log.warn({ err: error }, 'could not tell the agent'));
      if (outcome === 'card_pending') {
        // A reply to a card whose post Baton has not recorded yet (Slack's answer is late, or was lost and
        // the outbox is checking the channel for it): kept in the inbox and tried again, not dropped.
        deferUntilCardRecorded(deps.services.now(), e.ts, 'a reply in its thread');
        await tell(
          'Baton has not finished posting this card yet, so that reply did not reach the customer. Send it again in a minute.',
        );
      }
      if (outcome === 'closed')
        await tell('This conversation is already closed, so that reply did not reach the customer.');
      if (
        hasFile &&
        (outcome === 'relayed' || outcome === 'empty') &&
        (outcome !== 'empty' || (await isClaimer(e)))
      ) {
        await tell('Files are not sent to the customer: paste a link to share one.');
      }
      return;
    }
    const edit = changed.safeParse(event);
    if (edit.success && edit.data.message.thread_ts && edit.data.message.user && !edit.data.message.bot_id) {
      const m = edit.data.message;
      const edited = await editAgentReply(deps.services, {
        channel: edit.data.channel,
        threadTs: m.thread_ts!,
        ts: m.ts,
        userId: m.user!,
        plainText: await plain(m.text),
      });
      eventLog.debug(
        { channel: edit.data.channel, threadTs: m.thread_ts, ts: m.ts, edited },
        'thread edit handled',
      );
      return;
    }
    const removal = deleted.safeParse(event);
    if (removal.success && removal.data.previous_message?.thread_ts) {
      const input = {
        channel: removal.data.channel,
        threadTs: removal.data.previous_message.thread_ts,
        ts: removal.data.deleted_ts,
      };
      const deleted = await deleteAgentReply(deps.services, input);
      eventLog.debug({ ...input, deleted }, 'thread deletion handled');
    }
  });
}
