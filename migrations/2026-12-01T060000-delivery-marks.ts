import type { Kysely } from 'kysely';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  // Where each agent reply relayed to a customer got to: the marks shown on it in Slack (delivered to
  // the live chat, seen, emailed, not delivered) and when each happened. `channel`/`ts` are the
  // agent's own message in the handoff thread (the one that gets the reactions).
  await db.schema
    .createTable('delivery_marks')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('thread_ts', 'text', (c) => c.notNull())
    .addColumn('ts', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .addColumn('seen_at', 'text')
    .addColumn('emailed_at', 'text')
    .addColumn('undelivered_at', 'text')
    .execute();
  await db.schema
    .createIndex('delivery_marks_conversation_idx')
    .on('delivery_marks')
    .column('conversation_id')
    .execute();
  await db.schema
    .createIndex('delivery_marks_created_idx')
    .on('delivery_marks')
    .column('created_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delivery_marks').ifExists().execute();
}
