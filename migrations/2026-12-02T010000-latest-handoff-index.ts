import type { Kysely } from 'kysely';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  // Every customer line looks up its conversation's newest handoff (ordered by triggered_at, then id):
  // with the conversation alone indexed, each lookup sorted that conversation's handoffs. The new index
  // hands them over in order and covers every lookup the old one served.
  await db.schema
    .createIndex('handoffs_conversation_latest_idx')
    .on('handoffs')
    .columns(['conversation_id', 'triggered_at', 'id'])
    .execute();
  await db.schema.dropIndex('handoffs_conversation_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('handoffs_conversation_idx').on('handoffs').column('conversation_id').execute();
  await db.schema.dropIndex('handoffs_conversation_latest_idx').execute();
}
