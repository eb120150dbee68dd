import type { Kysely } from 'kysely';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  // The instances of a PostgreSQL fleet, each seen every few seconds while it runs.
  await db.schema
    .createTable('fleet_instances')
    .addColumn('instance_id', 'text', (c) => c.primaryKey())
    .addColumn('seen_at', 'integer', (c) => c.notNull())
    .execute();
  // Which instance holds a live stream of which conversation: whether a customer is in the chat decides
  // whether an agent's reply is also emailed, and the instance that decides may not be the one streaming.
  await db.schema
    .createTable('live_watchers')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_watchers_pk', ['conversation_id', 'instance_id'])
    .execute();
  await db.schema
    .createIndex('live_watchers_instance_idx')
    .on('live_watchers')
    .column('instance_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('live_watchers').ifExists().execute();
  await db.schema.dropTable('fleet_instances').ifExists().execute();
}
