import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  // An email tied to a message is queued at most once. SQLite runs one writer at a time, so the queue's
  // "insert unless one exists" holds there by itself; PostgreSQL runs instances' transactions side by
  // side, and both could find none: there a unique index decides. (Not on SQLite: a database of an
  // older Baton could hold a repeat the index would refuse, and it would not start.)
  if (!isPostgres(db)) return;
  await db.schema
    .createIndex('email_outbox_message_once_idx')
    .on('email_outbox')
    .column('message_id')
    .unique()
    .where(sql.ref('message_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await db.schema.dropIndex('email_outbox_message_once_idx').execute();
}
