import { sql } from 'kysely';
import { z } from 'zod';
import { NOTICE_KINDS, type Message, type MessageAuthor, type NoticeKind } from './conversation.js';
import { announceChange } from '../storage/change-feed.js';
import type { Db } from '../storage/database.js';
import { preparedQuery } from '../storage/prepared-query.js';
import type { MessagesTable } from '../storage/tables.js';

const AUTHORS: readonly MessageAuthor[] = ['customer', 'bot', 'agent', 'system'];
const articleRefs = z.array(z.object({ id: z.string(), title: z.string(), url: z.string().optional() }));
const strings = z.array(z.string());

function toAuthor(value: string): MessageAuthor {
  const author = AUTHORS.find((a) => a === value);
  if (!author) throw new Error(`unknown message author in the database: ${value}`);
  return author;
}

function toNotice(value: string | null): NoticeKind | undefined {
  return NOTICE_KINDS.find((n) => n === value);
}

export function toMessage(row: MessagesTable): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    author: toAuthor(row.author),
    text: row.text,
    createdAt: row.created_at,
    clientMessageId: row.client_message_id ?? undefined,
    agent: row.agent_name
      ? {
          name: row.agent_name,
          slackUserId: row.agent_slack_id ?? undefined,
          ...(row.agent_avatar_url ? { avatarUrl: row.agent_avatar_url } : {}),
        }
      : undefined,
    articles: row.articles ? articleRefs.parse(JSON.parse(row.articles)) : undefined,
    confidence: row.confidence ?? undefined,
    sentiment: row.sentiment ?? undefined,
    intents: row.intents ? strings.parse(JSON.parse(row.intents)) : undefined,
    slackTs: row.slack_ts ?? undefined,
    editedAt: row.edited_at ?? undefined,
    deletedAt: row.deleted_at ?? undefined,
    notice: toNotice(row.notice),
  };
}

export type NewMessage = Omit<Message, 'seq' | 'editedAt' | 'deletedAt'>;

export async function insertMessage(db: Db, m: NewMessage, seq: number): Promise<Message> {
  const row: MessagesTable = {
    id: m.id,
    conversation_id: m.conversationId,
    seq,
    author: m.author,
    text: m.text,
    client_message_id: m.clientMessageId ?? null,
    agent_slack_id: m.agent?.slackUserId ?? null,
    agent_name: m.agent?.name ?? null,
    agent_avatar_url: m.agent?.avatarUrl ?? null,
    articles: m.articles ? JSON.stringify(m.articles) : null,
    confidence: m.confidence ?? null,
    sentiment: m.sentiment ?? null,
    intents: m.intents ? JSON.stringify(m.intents) : null,
    slack_ts: m.slackTs ?? null,
    edited_at: null,
    deleted_at: null,
    created_at: m.createdAt,
    notice: m.notice ?? null,
  };
  await db.insertInto('messages').values(row).execute();
  await announceChange(db, { k: 'message', c: m.conversationId, seq });
  return toMessage(row);
}

/** A retried send is found by its client id: read for every customer message that carries one. */
const byClientMessageId = preparedQuery((db: Db, conversationId: string, clientMessageId: string) =>
  db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('client_message_id', '=', clientMessageId),
);

export async function findByClientMessageId(db: Db, conversationId: string, clientMessageId: string) {
  const [row] = await byClientMessageId(db, conversationId, clientMessageId);
  return row ? toMessage(row) : undefined;
}

/**
 * A page of a conversation's messages after a seq, read when a stream opens and for every history read.
 * The page size is written into the SQL (see preparedQuery), so each size is its own prepared query;
 * the sizes are the callers' constants, a handful in all.
 */
const pagesBySize = new Map<number, ReturnType<typeof pageOfSize>>();
const pageOfSize = (size: number) =>
  preparedQuery((db: Db, conversationId: string, afterSeq: number) =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(sql.lit(size)),
  );

function messagesAfter(size: number) {
  let page = pagesBySize.get(size);
  if (page) return page;
  // Written into the SQL, so only a whole count is taken (a bound limit took anything SQLite would).
  if (!Number.isSafeInteger(size) || size < 0)
    throw new RangeError(`page size must be a whole count, got ${size}`);
  pagesBySize.set(size, (page = pageOfSize(size)));
  return page;
}

export async function listMessages(
  db: Db,
  conversationId: string,
  afterSeq = 0,
  limit = 500,
): Promise<Message[]> {
  return (await messagesAfter(limit)(db, conversationId, afterSeq)).map(toMessage);
}

export async function findBySlackTs(db: Db, conversationId: string, slackTs: string) {
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('slack_ts', '=', slackTs)
    .executeTakeFirst();
  return row ? toMessage(row) : undefined;
}

type StoredRef = Pick<Message, 'id' | 'conversationId' | 'seq'>;

export async function editMessage(db: Db, message: StoredRef, text: string, now: string) {
  await db.updateTable('messages').set({ text, edited_at: now }).where('id', '=', message.id).execute();
  await announceChange(db, { k: 'message', c: message.conversationId, seq: message.seq });
}

export async function markDeleted(db: Db, message: StoredRef, now: string) {
  await db.updateTable('messages').set({ text: '', deleted_at: now }).where('id', '=', message.id).execute();
  await announceChange(db, { k: 'message', c: message.conversationId, seq: message.seq });
}

/** Records where a line landed in Slack: once for every line relayed. */
const slackTsUpdate = preparedQuery((db: Db, slackTs: string, id: string) =>
  db.updateTable('messages').set({ slack_ts: slackTs }).where('id', '=', id),
);

export async function setSlackTs(db: Db, id: string, slackTs: string) {
  await slackTsUpdate(db, slackTs, id);
}

/** The latest `limit` messages (before `beforeSeq` when given), oldest first: long conversations read from the right end. */
export async function listRecentMessages(
  db: Db,
  conversationId: string,
  limit: number,
  beforeSeq = Number.MAX_SAFE_INTEGER,
): Promise<Message[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '<', beforeSeq)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map(toMessage);
}
