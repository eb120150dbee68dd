import type { Kysely } from 'kysely';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  // Every Slack delivery is written here before it is acknowledged, and worked from here after.
  await db.schema
    .createTable('slack_inbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // event_id, trigger_id or a digest of the body: Slack's redeliveries collide here and are dropped.
    .addColumn('delivery_id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Deliveries in one lane (a thread, a user's commands) are worked one at a time, in arrival order.
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('retry_num', 'integer')
    .addColumn('retry_reason', 'text')
    // pending | done | parked
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_before', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute();
  await db.schema.createIndex('slack_inbox_state_idx').on('slack_inbox').columns(['state', 'id']).execute();

  // Set just before an outbox post is sent: after a crash the post may have reached Slack, so the
  // retry (even the first one after a restart) looks for its marker before posting again.
  await db.schema
    .alterTable('slack_outbox')
    .addColumn('sending', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('slack_outbox').dropColumn('sending').execute();
  await db.schema.dropTable('slack_inbox').ifExists().execute();
}
