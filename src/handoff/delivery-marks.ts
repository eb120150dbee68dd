import type { ServiceDeps } from '../ports.js';
import type { Db } from '../storage/database.js';
import { enqueueOutbox } from '../storage/outbox-repository.js';
import { isOverdue, markReply, UNDELIVERED_AFTER_MS, undeliveredReason } from './delivery-mark-rules.js';
import {
  findDeliveryMark,
  overdueReplies,
  repliesNotSeen,
  saveMarks,
  type TrackedReply,
} from './delivery-marks-repository.js';

type Deps = Pick<ServiceDeps, 'db' | 'transact' | 'now' | 'kickOutbox'>;

/**
 * The outbox lane of a channel's marks: its own queue beside the channel's posts, so a rate-limited
 * reaction (Slack limits each method on its own) never holds up the customer lines in that channel.
 * The Slack call itself names the reply's channel (outbox-renderer.ts).
 */
export const marksLane = (channel: string) => `${channel}:marks`;

/**
 * Where a reply's marks queue: its channel's marks lane, or for a copilot reply not yet posted in the
 * thread, the channel's own lane, behind that post (the mark needs its ts).
 */
const laneOf = (reply: TrackedReply) => (reply.ts ? marksLane(reply.channel) : reply.channel);
type Fact = Parameters<typeof markReply>[1];

/**
 * Records one fact about a reply and queues the reactions it changes, in the caller's transaction.
 * Returns the channel to wake the outbox for, if anything changed.
 */
async function applyFact(trx: Db, reply: TrackedReply, fact: Fact, now: string): Promise<string | undefined> {
  const next = markReply(reply, fact, now);
  if (!next) return undefined;
  await saveMarks(trx, reply.messageId, next.state);
  for (const r of next.reactions) {
    await enqueueOutbox(
      trx,
      {
        kind: 'reaction',
        channel: laneOf(reply),
        conversationId: reply.conversationId,
        messageId: reply.messageId,
        ...r,
      },
      now,
    );
  }
  Object.assign(reply, next.state);
  return laneOf(reply);
}

function wake(deps: Deps, channels: (string | undefined)[]) {
  const found = [...new Set(channels.filter((c): c is string => c !== undefined))];
  if (found.length > 0) deps.kickOutbox(found);
}

/**
 * The customer's page says which replies it received (`delivered`: every one up to that seq) and which
 * it showed on screen (`seen`: exactly those seqs). Each reply gets its marks once, however often the
 * page says so.
 */
export async function recordReceipts(
  deps: Deps,
  conversationId: string,
  receipt: { delivered?: number; seen?: readonly number[] },
): Promise<void> {
  const seen = new Set(receipt.seen ?? []);
  const delivered = receipt.delivered ?? 0;
  const upTo = Math.max(delivered, ...seen);
  const now = deps.now().toISOString();
  const channels = await deps.transact(async (trx) => {
    const touched: (string | undefined)[] = [];
    for (const reply of await repliesNotSeen(trx, conversationId, upTo)) {
      if (seen.has(reply.seq)) touched.push(await applyFact(trx, reply, 'seen', now));
      else if (reply.seq <= delivered) touched.push(await applyFact(trx, reply, 'delivered', now));
    }
    return touched;
  });
  wake(deps, channels);
}

/** The follow-up email carrying this reply was accepted by the mail server. */
export async function markEmailed(deps: Deps, messageId: string): Promise<void> {
  const now = deps.now().toISOString();
  const channel = await deps.transact(async (trx) => {
    const reply = await findDeliveryMark(trx, messageId);
    return reply && applyFact(trx, reply, 'emailed', now);
  });
  wake(deps, [channel]);
}

/**
 * Replies that have not reached the customer for UNDELIVERED_AFTER_MS: marked as not delivered, and
 * their agent told in the thread why. A periodic job; each reply is reported once.
 */
export async function reportUndelivered(deps: Deps, canEmail: boolean): Promise<number> {
  const now = deps.now();
  const before = new Date(now.getTime() - UNDELIVERED_AFTER_MS).toISOString();
  const at = now.toISOString();
  let reported = 0;
  const channels = await deps.transact(async (trx) => {
    const touched: (string | undefined)[] = [];
    for (const { reply, email, hasAddress } of await overdueReplies(trx, before)) {
      // Sent, but the mark was lost (a stop between the send and its mark): marked now instead.
      if (email === 'sent') {
        touched.push(await applyFact(trx, reply, 'emailed', at));
        continue;
      }
      if (!isOverdue(reply, reply.createdAt, now)) continue;
      const lane = await applyFact(trx, reply, 'undelivered', at);
      if (!lane) continue;
      reported += 1;
      await enqueueOutbox(
        trx,
        {
          kind: 'delivery_notice',
          channel: reply.channel,
          conversationId: reply.conversationId,
          messageId: reply.messageId,
          reason: undeliveredReason(email, { hasAddress, canEmail }),
        },
        at,
      );
      touched.push(lane, reply.channel);
    }
    return touched;
  });
  wake(deps, channels);
  return reported;
}
