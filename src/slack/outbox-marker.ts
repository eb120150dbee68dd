import { z } from 'zod';
import type { OutboxItem } from '../storage/outbox-repository.js';
import type { OutboxClient } from './outbox-client.js';
import type { OutboxMessage } from './outbox-worker.js';

/**
 * chat.postMessage has no idempotency key, so every post carries its outbox id in message metadata, and
 * after an ambiguous failure (a crash or a timeout mid-post) the channel or thread is read for it before
 * posting again.
 */
export const OUTBOX_MARKER = 'baton_outbox';

/** Pages of a thread read for our marker before posting again (200 replies each). */
const MARKER_PAGES = 50;

/**
 * The metadata stamped on every post, as read back from conversations.history/replies (whose typed
 * messages do not declare `metadata`). The id is coerced the way Slack may echo it, as a number or text.
 */
const markedMessage = z.object({
  ts: z.string().optional(),
  metadata: z.object({
    event_type: z.literal(OUTBOX_MARKER),
    event_payload: z.object({
      outbox_id: z.coerce.number(),
      // A burst of customer lines posted as one message names every item it carries.
      outbox_ids: z
        .string()
        .transform((ids) => ids.split(',').map(Number))
        .optional(),
    }),
  }),
});

/** The ts of our earlier post of `item`, when a call that may have reached Slack had been started for it. */
export async function alreadyPosted(
  client: OutboxClient,
  item: OutboxItem,
  msg: OutboxMessage,
): Promise<string | undefined> {
  // Direct messages are not checked (a second DM is harmless, and a user ID is not a channel to read).
  if (!item.maybeSent || msg.updateTs || /^[UW]/.test(msg.channel)) return undefined;
  // Every page is read: a thread lists its oldest replies first, so in a long thread our post is on a
  // later page. Bounded, in case Slack keeps handing out cursors.
  let cursor: string | undefined;
  for (let pageNo = 0; pageNo < MARKER_PAGES; pageNo += 1) {
    const found = msg.threadTs
      ? await client.conversations.replies({
          channel: msg.channel,
          ts: msg.threadTs,
          include_all_metadata: true,
          limit: 200,
          cursor,
        })
      : await client.conversations.history({
          channel: msg.channel,
          include_all_metadata: true,
          limit: 50,
          cursor,
        });
    const hit = found.messages
      ?.map((m) => markedMessage.safeParse(m).data)
      .find((marked) => {
        const payload = marked?.metadata.event_payload;
        return payload?.outbox_id === item.id || (payload?.outbox_ids ?? []).includes(item.id);
      });
    if (hit?.ts) return hit.ts;
    cursor = found.response_metadata?.next_cursor || undefined;
    // The channel's newest 50 posts hold a card that is being retried; older ones cannot be ours.
    if (!cursor || !msg.threadTs) return undefined;
  }
  return undefined;
}
