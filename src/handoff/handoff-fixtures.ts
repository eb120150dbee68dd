import { insertConversation } from '../conversation/conversation-repository.js';
import type { Db } from '../storage/database.js';
import { insertHandoff } from './handoff-repository.js';

/** For tests: the handoff channel the seeded handoff's card goes to. */
export const FIXTURE_CHANNEL = 'C0HANDOFFS';

/**
 * For tests: conversation `c1` with handoff `h1` to FIXTURE_CHANNEL, its card post started and not
 * recorded (record it with recordCardPosted).
 */
export async function seedPendingHandoff(db: Db, opts: { customerName: string; now: string }): Promise<void> {
  await insertConversation(db, {
    id: 'c1',
    tokenHash: 'x',
    customer: { name: opts.customerName },
    metadata: {},
    now: opts.now,
  });
  await insertHandoff(
    db,
    'c1',
    {
      id: 'h1',
      reason: 'requested',
      detail: 'asked',
      channel: FIXTURE_CHANNEL,
      summary: {
        issue: '',
        facts: { orderNumbers: [], emails: [], phoneNumbers: [], amounts: [] },
        tried: [],
      },
      sentiment: 0,
      assignedTo: [],
      agentsAvailable: true,
      notice: '',
    },
    opts.now,
  );
}
