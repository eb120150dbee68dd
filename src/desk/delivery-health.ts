import type { Db } from '../storage/database.js';
import { countPendingOutbox, failedOutbox, type FailedOutboxItem } from '../storage/outbox-repository.js';
import { countPendingInbox, type ParkedInboxItem, parkedDeliveries } from '../storage/inbox-repository.js';

/**
 * What an admin needs to know about Slack delivery: work from Slack that could not be done (parked
 * in the inbox) and posts to Slack that were given up on (failed in the outbox). Both are kept, never
 * dropped, so someone can see them and act; see docs/operations.md.
 */

export interface DeliveryHealth {
  pendingInbox: number;
  pendingOutbox: number;
  parked: { total: number; recent: ParkedInboxItem[] };
  failed: { total: number; recent: FailedOutboxItem[] };
}

const SHOWN = 5;

export async function deliveryHealth(db: Db): Promise<DeliveryHealth> {
  return {
    pendingInbox: await countPendingInbox(db),
    pendingOutbox: await countPendingOutbox(db),
    parked: await parkedDeliveries(db, SHOWN),
    failed: await failedOutbox(db, SHOWN),
  };
}

export function needsAttention(health: DeliveryHealth): boolean {
  return health.parked.total > 0 || health.failed.total > 0;
}

const OUTBOX_LABELS: Record<string, string> = {
  handoff_card: 'handoff card',
  card_update: 'card update',
  thread_message: 'customer message in a thread',
  thread_notice: 'notice in a thread',
  channel_notice: 'announcement',
  dm: 'direct message to an agent',
  copilot: 'suggested reply for an agent',
  reaction: 'delivery mark on an agent reply',
  delivery_notice: 'undelivered-reply notice in a thread',
  unreadable: 'unreadable queued post',
};

/** Plain lines (the Slack edge escapes and formats them). */
export function describeDeliveryHealth(health: DeliveryHealth): string[] {
  const lines = [`Waiting: ${health.pendingInbox} from Slack, ${health.pendingOutbox} to Slack.`];
  if (!needsAttention(health)) {
    lines.push('Nothing parked or failed: every Slack delivery went through.');
    return lines;
  }
  if (health.parked.total > 0) {
    lines.push(`${health.parked.total} request(s) from Slack could not be handled after every retry:`);
    for (const p of health.parked.recent)
      lines.push(`• #${p.id} ${p.kind} received ${p.receivedAt}: ${p.error ?? 'unknown error'}`);
  }
  if (health.failed.total > 0) {
    lines.push(`${health.failed.total} post(s) to Slack were given up on:`);
    for (const f of health.failed.recent)
      lines.push(
        // A channel's marks have their own lane (`C…:marks`); the channel is what the reader knows.
        `• #${f.id} ${OUTBOX_LABELS[f.kind] ?? f.kind} in ${f.channel.replace(/:marks$/, '')}${f.doneAt ? ` at ${f.doneAt}` : ''}: ${f.error ?? 'unknown error'}`,
      );
  }
  return lines;
}
