import { type Insertable, type Selectable, sql } from 'kysely';
import { AppError } from '../lib/errors.js';
import { CONVERSATION_STATUSES, type Conversation, type ConversationStatus } from './conversation.js';
import { announceChange } from '../storage/change-feed.js';
import type { Db } from '../storage/database.js';
import { preparedQuery } from '../storage/prepared-query.js';
import type { ConversationsTable } from '../storage/tables.js';

type ConversationRow = Selectable<ConversationsTable>;

function toStatus(value: string): ConversationStatus {
  const status = CONVERSATION_STATUSES.find((s) => s === value);
  if (!status) throw new Error(`unknown conversation status in the database: ${value}`);
  return status;
}

function toMetadata(json: string): Record<string, string> {
  const parsed: unknown = JSON.parse(json);
  const out: Record<string, string> = {};
  if (parsed && typeof parsed === 'object')
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    status: toStatus(row.status),
    customer: { name: row.customer_name ?? undefined, email: row.customer_email ?? undefined },
    pageUrl: row.page_url ?? undefined,
    metadata: toMetadata(row.metadata),
    lastSeq: row.last_seq,
    followUpEmail: row.follow_up_email ?? undefined,
    csat:
      row.csat_score === null ? undefined : { score: row.csat_score, comment: row.csat_comment ?? undefined },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export interface NewConversation {
  id: string;
  tokenHash: string;
  customer: { name?: string; email?: string };
  pageUrl?: string;
  metadata: Record<string, string>;
  now: string;
}

export async function insertConversation(db: Db, c: NewConversation): Promise<Conversation> {
  const row: Insertable<ConversationsTable> & ConversationRow = {
    id: c.id,
    token_hash: c.tokenHash,
    status: 'bot',
    customer_name: c.customer.name ?? null,
    customer_email: c.customer.email ?? null,
    page_url: c.pageUrl ?? null,
    metadata: JSON.stringify(c.metadata),
    last_seq: 0,
    follow_up_email: null,
    csat_score: null,
    csat_comment: null,
    created_at: c.now,
    updated_at: c.now,
    version: 0,
  };
  await db.insertInto('conversations').values(row).execute();
  return toConversation(row);
}

/** A conversation's row by id: read when a stream opens and for every message stored (prepared-query.ts). */
const conversationRow = preparedQuery((db: Db, id: string) =>
  db.selectFrom('conversations').selectAll().where('id', '=', id),
);

export async function findConversation(db: Db, id: string): Promise<Conversation | undefined> {
  const [row] = await conversationRow(db, id);
  return row ? toConversation(row) : undefined;
}

/** The conversation with its token's hash, in one read (every chat API call authenticates first). */
export async function findConversationAndTokenHash(
  db: Db,
  id: string,
): Promise<{ conversation: Conversation; tokenHash: string } | undefined> {
  const [row] = await conversationRow(db, id);
  return row ? { conversation: toConversation(row), tokenHash: row.token_hash } : undefined;
}

/**
 * Compare-and-set of the status the lifecycle chose, from the version it read: two racing steps cannot
 * both win. The only place a conversation's status is written.
 */
export async function commitStatus(
  db: Db,
  id: string,
  seen: { version: number; status: ConversationStatus },
  to: ConversationStatus,
  now: string,
): Promise<boolean> {
  // `updated_at` is the conversation's activity: it moves with a new status, not with a step that keeps it.
  const changed = to !== seen.status;
  const result = await db
    .updateTable('conversations')
    .set((eb) => ({ status: to, ...(changed ? { updated_at: now } : {}), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', seen.version)
    .executeTakeFirst();
  const done = Number(result.numUpdatedRows) === 1;
  // The agent may change with the status kept (a transfer): every committed step is announced.
  if (done) await announceChange(db, { k: 'status', c: id });
  return done;
}

export async function requireConversation(db: Db, id: string): Promise<Conversation> {
  const conversation = await findConversation(db, id);
  if (!conversation) throw new AppError('not_found', 'No such conversation');
  return conversation;
}

/**
 * Reserves the next per-conversation sequence number. Call inside the transaction that inserts the
 * message. Returns the conversation as this write left it: the write holds the row until the commit,
 * so no other step can change it in between (see applyInTransaction's `locked`).
 */
/** Takes a conversation's next seq: every message stored runs it. */
const takeNextSeq = preparedQuery((db: Db, now: string, id: string) =>
  db
    .updateTable('conversations')
    .set((eb) => ({ last_seq: eb('last_seq', '+', sql.lit(1)), updated_at: now }))
    .where('id', '=', id)
    .returningAll(),
);

export async function nextSeq(db: Db, id: string, now: string): Promise<Conversation> {
  const [row] = await takeNextSeq(db, now, id);
  if (!row) throw new Error(`nextSeq: no conversation ${id}`);
  return toConversation(row);
}

export async function setCsat(db: Db, id: string, score: number, comment: string | undefined, now: string) {
  await db
    .updateTable('conversations')
    .set({ csat_score: score, csat_comment: comment ?? null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function setFollowUpEmail(db: Db, id: string, email: string, now: string) {
  await db
    .updateTable('conversations')
    .set({ follow_up_email: email, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Conversations the assistant is still handling, most recently active first, with their latest message. */
export async function listLiveBotConversations(db: Db, limit = 10) {
  const rows = await db
    .selectFrom('conversations as c')
    .leftJoin('messages as m', (join) =>
      join.onRef('m.conversation_id', '=', 'c.id').onRef('m.seq', '=', 'c.last_seq'),
    )
    .select(['c.id', 'c.customer_name', 'c.updated_at', 'c.last_seq', 'm.text', 'm.author'])
    .where('c.status', '=', 'bot')
    .where('c.last_seq', '>', 0)
    .orderBy('c.updated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    customerName: r.customer_name ?? undefined,
    updatedAt: r.updated_at,
    messages: r.last_seq,
    latest: r.text ? { author: r.author ?? 'customer', text: r.text } : undefined,
  }));
}

/** Conversations left with an unanswered customer message (e.g. the process stopped mid-answer). */
/** Conversations whose last word is the customer's, unanswered; `before` keeps only lines older than it. */
export async function listUnansweredBotConversations(
  db: Db,
  opts: { before?: string; limit?: number } = {},
): Promise<string[]> {
  const rows = await db
    .selectFrom('conversations as c')
    .innerJoin('messages as m', (join) =>
      join.onRef('m.conversation_id', '=', 'c.id').onRef('m.seq', '=', 'c.last_seq'),
    )
    .select('c.id')
    .where('c.status', '=', 'bot')
    .where('m.author', '=', 'customer')
    .$if(opts.before !== undefined, (qb) => qb.where('m.created_at', '<', opts.before!))
    .limit(opts.limit ?? 500)
    .execute();
  return rows.map((r) => r.id);
}

export async function addParticipant(
  db: Db,
  p: { conversationId: string; role: 'agent'; slackUserId: string; displayName: string; now: string },
) {
  await db
    .insertInto('participants')
    .values({
      conversation_id: p.conversationId,
      role: p.role,
      slack_user_id: p.slackUserId,
      display_name: p.displayName,
      joined_at: p.now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
