import type { Kysely } from 'kysely';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  // What the handoff triggers saw for each customer message the assistant decided on: enough to replay
  // a proposed trigger setting over past conversations (`/baton triggers test`) without running the
  // assistant (or a paid model) again. The message text stays in `messages`.
  await db.schema
    .createTable('trigger_inputs')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('customer_turns', 'integer', (c) => c.notNull())
    .addColumn('answered', 'integer', (c) => c.notNull())
    .addColumn('confidence', 'real', (c) => c.notNull())
    .addColumn('sentiment', 'real', (c) => c.notNull())
    .addColumn('conversation_sentiment', 'real', (c) => c.notNull())
    .addColumn('intents', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('trigger_inputs_conversation_idx')
    .on('trigger_inputs')
    .columns(['conversation_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('trigger_inputs_decided_idx')
    .on('trigger_inputs')
    .column('decided_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('trigger_inputs').ifExists().execute();
}
