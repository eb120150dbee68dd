import type { Kysely } from 'kysely';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  // The agent's Slack profile picture as the customer saw it, next to the name kept the same way:
  // on the claim (the header) and on each agent message (a transfer changes who speaks). Null when
  // Slack had none Baton accepts; the chat then shows the name's initial, as before.
  await db.schema.alterTable('handoffs').addColumn('claimed_by_avatar_url', 'text').execute();
  await db.schema.alterTable('messages').addColumn('agent_avatar_url', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('agent_avatar_url').execute();
  await db.schema.alterTable('handoffs').dropColumn('claimed_by_avatar_url').execute();
}
