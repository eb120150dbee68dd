import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  // A transcript request looks for its own earlier copy and counts a conversation's and an address's
  // recent ones, inside the write transaction that queues it: without these, each read the whole
  // (never pruned) outbox while holding the write lock.
  await db.schema
    .createIndex('email_outbox_conversation_message_idx')
    .on('email_outbox')
    .columns(['conversation_id', 'message_id'])
    .execute();
  // enqueueEmail's queue-once check and a repeated request look a message id up on its own.
  await db.schema.createIndex('email_outbox_message_idx').on('email_outbox').column('message_id').execute();
  await db.schema
    .createIndex('email_outbox_recipient_idx')
    .on('email_outbox')
    .expression(sql`lower(to_address), created_at`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('email_outbox_message_idx').execute();
  await db.schema.dropIndex('email_outbox_recipient_idx').execute();
  await db.schema.dropIndex('email_outbox_conversation_message_idx').execute();
}
