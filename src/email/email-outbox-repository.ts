import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../storage/database.js';
import type { EmailOutboxTable } from '../storage/tables.js';
import { dialectOf } from '../storage/dialect.js';

/** A queued email as the worker sees it. The body holds both renderings of the message. */
export interface EmailOutboxItem {
  id: number;
  conversationId: string;
  messageId?: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attempts: number;
  notBefore: number;
}

export interface NewEmail {
  conversationId: string;
  /** The message the email carries; at most one email is ever queued per message. */
  messageId?: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** ISO timestamp. */
  now: string;
}

/** An `html` that is not a string is dropped: the email still goes out as plain text. */
const storedBody = z.object({ text: z.string(), html: z.string().optional().catch(undefined) });

/** The body column stores `{ text, html }` as JSON; anything else (a plain string) is read as text only. */
function parseBody(body: string): { text: string; html?: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { text: body };
  }
  const parsed = storedBody.safeParse(json);
  return parsed.success ? { text: parsed.data.text, html: parsed.data.html } : { text: body };
}

function toItem(row: Omit<EmailOutboxTable, 'id'> & { id: number }): EmailOutboxItem {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id ?? undefined,
    to: row.to_address,
    subject: row.subject,
    ...parseBody(row.body),
    attempts: row.attempts,
    notBefore: row.not_before,
  };
}

/**
 * Queues an email. With a messageId the insert is skipped when an email for that message already
 * exists (in any state), in one statement, so two racing callers cannot both queue it.
 * Returns the new row's id, or undefined when it was already queued.
 */
export async function enqueueEmail(db: Db, email: NewEmail): Promise<number | undefined> {
  const values = {
    conversation_id: email.conversationId,
    message_id: email.messageId ?? null,
    to_address: email.to,
    subject: email.subject,
    body: JSON.stringify({ text: email.text, html: email.html }),
    state: 'pending',
    attempts: 0,
    not_before: 0,
    error: null,
    created_at: email.now,
    sent_at: null,
  };
  if (email.messageId === undefined) {
    const row = await db.insertInto('email_outbox').values(values).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }
  const messageId = email.messageId;
  // Sound, unlike most key casts: `values` is the object literal above, so it has no other keys.
  const columns = Object.keys(values) as (keyof typeof values)[];
  const row = await db
    .insertInto('email_outbox')
    .columns(columns)
    .expression(
      db
        .selectNoFrom((eb) => columns.map((c) => eb.val(values[c]).as(c)))
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('email_outbox').select('id').where('message_id', '=', messageId))),
        ),
    )
    // PostgreSQL: two instances queueing the same email at once both find none; the unique index
    // (migration email-queue-once) lets one in and this turns the other into "already queued".
    .$if(dialectOf(db) === 'postgres', (qb) =>
      qb.onConflict((oc) => oc.column('message_id').where('message_id', 'is not', null).doNothing()),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Whether an email with this message id was ever queued, whatever became of it. */
export async function emailQueued(db: Db, messageId: string): Promise<boolean> {
  const row = await db
    .selectFrom('email_outbox')
    .select('id')
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * When emails whose message id starts with `prefix` were queued since `since` (ISO), oldest first: for
 * one conversation, or to one recipient (compared lower-case, as the recipient index is built).
 */
export async function queuedTimes(
  db: Db,
  prefix: string,
  who: { conversationId: string } | { recipient: string },
  since: string,
): Promise<string[]> {
  const recent = db
    .selectFrom('email_outbox')
    .select('created_at')
    .where('message_id', 'like', `${prefix}%`)
    .where('created_at', '>', since);
  const rows = await (
    'conversationId' in who
      ? recent.where('conversation_id', '=', who.conversationId)
      : recent.where(sql`lower(to_address)`, '=', who.recipient)
  )
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map((r) => r.created_at);
}

/** Pending emails whose retry time has come, oldest first. */
export async function dueEmails(db: Db, nowMs: number, limit = 20): Promise<EmailOutboxItem[]> {
  const rows = await db
    .selectFrom('email_outbox')
    .selectAll()
    .where('state', '=', 'pending')
    .where('not_before', '<=', nowMs)
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  return rows.map(toItem);
}

/** When the earliest deferred email becomes due (ms epoch), or undefined when none is pending. */
export async function nextEmailDueAt(db: Db): Promise<number | undefined> {
  const row = await db
    .selectFrom('email_outbox')
    .select((eb) => eb.fn.min('not_before').as('at'))
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
}

export async function markEmailSent(db: Db, id: number, now: string): Promise<void> {
  await db.updateTable('email_outbox').set({ state: 'sent', sent_at: now }).where('id', '=', id).execute();
}

/** Gives up on an email; `error` is a short code, never the server's reply text. */
export async function markEmailFailed(db: Db, id: number, error: string): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set((eb) => ({ state: 'failed', error, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** Counts a failed attempt and holds the email back until `notBefore` (ms epoch). */
export async function deferEmail(db: Db, id: number, notBefore: number, error: string): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set((eb) => ({ not_before: notBefore, error, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function countPendingEmails(db: Db): Promise<number> {
  const row = await db
    .selectFrom('email_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
