import { type Selectable, sql } from 'kysely';
import type { Db } from './database.js';
import { dialectOf } from './dialect.js';
import { type OutboxItem, toItem } from './outbox-repository.js';
import { preparedQuery } from './prepared-query.js';
import type { SlackOutboxTable } from './tables.js';

/**
 * 'pending' and 'handoff_card' written into the SQL, not bound: SQLite matches a partial index's WHERE against a bound value
 * only by preparing the statement again for each new binding, which would undo the statement cache.
 */
export const PENDING = sql.lit('pending');
export const HANDOFF_CARD = sql.lit('handoff_card');

/**
 * What may be sent next: the oldest pending item of every channel, which keeps a channel's posts in
 * order even while one is retried, and also the oldest pending handoff card of every channel, so a
 * new card is not stuck behind other conversations' thread lines (its own lines come after it anyway).
 * Cards first.
 */
export async function pendingHeads(db: Db): Promise<OutboxItem[]> {
  // The channels with pending rows are found by skipping through the partial index (channel, id) one
  // channel at a time, and each channel's heads are the first entries of the two partial indexes: the
  // cost follows the number of channels, not the backlog. (A plain `min(id) ... group by channel` reads
  // every pending row: 2 ms at a 4,500-line backlog, on every pass, just when Slack is behind.) SQLite's
  // planner prefers the (state, id) index for the skip, so it is told which index to use; PostgreSQL
  // has no such hint and needs none.
  const pinned = dialectOf(db) === 'sqlite' ? sql`indexed by slack_outbox_pending_channel_idx` : sql``;
  const { rows } = await sql<Selectable<SlackOutboxTable>>`
    with recursive channels(name) as (
      select (select channel from slack_outbox ${pinned}
              where state = ${PENDING} order by channel limit 1)
      union all
      select (select channel from slack_outbox ${pinned}
              where state = ${PENDING} and channel > channels.name order by channel limit 1)
      from channels where channels.name is not null
    )
    select o.* from channels join slack_outbox o on o.id in (
      (select id from slack_outbox where state = ${PENDING} and channel = channels.name
       order by id limit 1),
      (select id from slack_outbox where state = ${PENDING} and kind = ${HANDOFF_CARD}
       and channel = channels.name order by id limit 1))
    order by case when o.kind = ${HANDOFF_CARD} then 0 else 1 end, o.id`.execute(db);
  return rows.map(toItem);
}

/**
 * One channel's heads (as pendingHeads gives them for every channel), asked for after every post a lane
 * makes: each is the first entry of a partial index over pending rows (channel, id), found in a few steps
 * however long the channel's backlog is.
 */
export async function channelHeads(db: Db, channel: string): Promise<OutboxItem[]> {
  const [head] = await channelHead(db, channel);
  if (!head) return [];
  const [card] = head.kind === 'handoff_card' ? [] : await channelCardHead(db, channel);
  return (card ? [card, head] : [head]).map(toItem);
}

const firstPending = (cardsOnly: boolean) =>
  preparedQuery((db: Db, channel: string) =>
    db
      .selectFrom('slack_outbox')
      .selectAll()
      .where('state', '=', PENDING)
      .where('channel', '=', channel)
      .$if(cardsOnly, (qb) => qb.where('kind', '=', HANDOFF_CARD))
      .orderBy('id', 'asc')
      .limit(sql.lit(1)),
  );
const channelHead = firstPending(false);
const channelCardHead = firstPending(true);

export type ThreadMessageItem = Extract<OutboxItem, { kind: 'thread_message' }>;

/**
 * The customer lines queued right behind `head` in the same thread, oldest first: what a burst of
 * messages can be posted with in one go. Stops at anything else queued for that thread (a notice, a
 * card update) so the thread's order holds; lines that were already tried are left to their own retry.
 */
export async function customerLinesBehind(
  db: Db,
  head: ThreadMessageItem,
  max: number,
): Promise<ThreadMessageItem[]> {
  const rows = await db
    .selectFrom('slack_outbox')
    .selectAll()
    .where('state', '=', PENDING)
    .where('channel', '=', head.channel)
    .where('handoff_id', '=', head.handoffId)
    .where('id', '>', head.id)
    .orderBy('id', 'asc')
    .limit(max)
    .execute();
  const lines: ThreadMessageItem[] = [];
  for (const row of rows) {
    const item = toItem(row);
    if (item.kind !== 'thread_message' || item.maybeSent) break;
    lines.push(item);
  }
  return lines;
}
