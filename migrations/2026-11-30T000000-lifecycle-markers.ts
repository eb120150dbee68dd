import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import application types here.
export async function up(db: Kysely<any>): Promise<void> {
  // A system message says what it announces as data (`resolved` starts a new round with the assistant),
  // so rewording a notice never changes how turns are counted.
  await db.schema.alterTable('messages').addColumn('notice', 'text').execute();
  // The channel a handoff's card goes to, known from the start (thread lines queue behind the card there).
  await db.schema.alterTable('handoffs').addColumn('channel', 'text').execute();
  // Optimistic concurrency: every lifecycle step compares and sets the version it read.
  await db.schema
    .alterTable('conversations')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Rows an older Baton wrote are rewritten to the new columns; SQLite only (see dialect.ts).
  if (!isPostgres(db)) await rewriteOlderRows(db);
}

async function rewriteOlderRows(db: Kysely<any>): Promise<void> {
  await sql`update messages set notice = 'resolved'
    where author = 'system' and text like 'Conversation resolved%'`.execute(db);
  await sql`update handoffs set channel = coalesce(
      (select channel from slack_threads t where t.handoff_id = handoffs.id),
      (select channel from slack_outbox o where o.handoff_id = handoffs.id and o.kind = 'handoff_card'
        order by o.id desc limit 1))`.execute(db);
  // `state` now says only where the card is (pending, posted, failed); claim and resolution have their columns.
  await sql`update handoffs set state = case
      when exists (select 1 from slack_threads t where t.handoff_id = handoffs.id) then 'posted'
      when state = 'failed' then 'failed' else 'pending' end`.execute(db);
  // Pending thread notices now keep the notice under `notice` (the outbox payload is typed per kind).
  await sql`update slack_outbox set payload = json_object('notice', json(payload))
    where kind = 'thread_notice' and state = 'pending' and json_extract(payload, '$.notice.notice') is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('version').execute();
  await db.schema.alterTable('handoffs').dropColumn('channel').execute();
  await db.schema.alterTable('messages').dropColumn('notice').execute();
}
