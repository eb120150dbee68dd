import type { Kysely } from 'kysely';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agents')
    .addColumn('slack_user_id', 'text', (c) => c.primaryKey())
    // available | busy | away | offline, or null: follow the agent's Slack presence.
    .addColumn('presence', 'text')
    .addColumn('skills', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('capacity', 'integer')
    .addColumn('last_assigned_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('handoffs').addColumn('assigned_to', 'text').execute();
  await db.schema
    .alterTable('handoffs')
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('handoffs')
    .addColumn('transferred', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('handoffs').addColumn('topic', 'text').execute();

  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('message_id', 'text')
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_before', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('email_outbox_state_idx').on('email_outbox').columns(['state', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_outbox').ifExists().execute();
  for (const column of ['topic', 'transferred', 'escalation_level', 'assigned_to']) {
    await db.schema.alterTable('handoffs').dropColumn(column).execute();
  }
  await db.schema.dropTable('audit_log').ifExists().execute();
  await db.schema.dropTable('agents').ifExists().execute();
}
