import type { ServiceDeps } from '../ports.js';
import type { Db } from '../storage/database.js';
import { enqueueOutbox } from '../storage/outbox-repository.js';

/** What a desk change needs to tell the team about itself. */
export type AnnounceDeps = Pick<ServiceDeps, 'handoffChannel' | 'now'>;

/**
 * Queues a notice to the handoff channel inside the caller's transaction, so a committed change is
 * always announced (and a rolled-back one never is). The caller kicks the outbox after commit.
 */
export async function queueAnnouncement(trx: Db, deps: AnnounceDeps, text: string): Promise<void> {
  const now = deps.now().toISOString();
  await enqueueOutbox(trx, { kind: 'channel_notice', channel: deps.handoffChannel, text }, now);
}
