import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  // The outbox asks for the oldest pending post of a channel after every post it makes, and for the
  // lines queued behind a post in its thread. Through the (state, id) index both read every pending
  // row, so a backlog made each post slower the longer it grew. Partial indexes over pending rows only
  // answer each in a few steps and stay as small as the backlog.
  await db.schema
    .createIndex('slack_outbox_pending_channel_idx')
    .on('slack_outbox')
    .columns(['channel', 'id'])
    .where(sql.ref('state'), '=', 'pending')
    .execute();
  // Cards may overtake thread lines, so the oldest pending card of a channel is asked for too.
  await db.schema
    .createIndex('slack_outbox_pending_card_idx')
    .on('slack_outbox')
    .columns(['channel', 'id'])
    .where(sql<boolean>`state = 'pending' and kind = 'handoff_card'`)
    .execute();
  await db.schema
    .createIndex('slack_outbox_pending_thread_idx')
    .on('slack_outbox')
    .columns(['handoff_id', 'id'])
    .where(sql.ref('state'), '=', 'pending')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('slack_outbox_pending_thread_idx').execute();
  await db.schema.dropIndex('slack_outbox_pending_card_idx').execute();
  await db.schema.dropIndex('slack_outbox_pending_channel_idx').execute();
}
