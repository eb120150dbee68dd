import { nextSeq } from './conversation-repository.js';
import type { Db } from '../storage/database.js';
import { findByClientMessageId, insertMessage, type NewMessage } from './message-repository.js';
import type { Conversation, Message } from './conversation.js';
import type { ServiceDeps } from '../ports.js';
import { isUniqueViolation } from '../storage/storage-errors.js';

type AppendInput = Omit<NewMessage, 'id' | 'createdAt'> & { id?: string };

/**
 * Appends a message with the next sequence number in one transaction. When a
 * clientMessageId is given and already stored, returns the stored message instead
 * (the widget resent after losing our answer).
 */
export async function appendMessage(
  deps: Pick<ServiceDeps, 'transact' | 'now' | 'ids' | 'live' | 'db'>,
  input: AppendInput,
): Promise<{ message: Message; created: boolean }> {
  const result = await appendMessageIf(deps, input, async () => true);
  if (!result) throw new Error('unreachable: unguarded append refused');
  return result;
}

/**
 * Work to commit together with a new message (e.g. queueing its relay to Slack). `conversation` is the
 * row as the message's insert left it, held by this transaction until it commits.
 */
export type AfterInsert = (trx: Db, message: Message, conversation: Conversation) => Promise<void>;

/**
 * Like appendMessage, but `guard` runs first in the same transaction and can refuse the insert
 * (used to commit a Slack event's dedupe mark together with the message it produces).
 */
export async function appendMessageIf(
  deps: Pick<ServiceDeps, 'transact' | 'now' | 'ids' | 'live' | 'db'>,
  input: AppendInput,
  guard: (trx: Db) => Promise<boolean>,
  afterInsert?: AfterInsert,
  /**
   * Checked on the conversation row once this transaction holds it (the guard's read does not hold it:
   * on PostgreSQL another instance may change the conversation between the two). False: nothing is written.
   */
  holds?: (locked: Conversation) => boolean,
): Promise<{ message: Message; created: boolean } | undefined> {
  const now = deps.now().toISOString();
  let result: { message: Message; created: boolean } | undefined;
  try {
    result = await deps.transact(async (trx) => {
      if (!(await guard(trx))) return undefined;
      if (input.clientMessageId) {
        const existing = await findByClientMessageId(trx, input.conversationId, input.clientMessageId);
        if (existing) return { message: existing, created: false };
      }
      const conversation = await nextSeq(trx, input.conversationId, now);
      if (holds && !holds(conversation)) throw new NoLongerHolds();
      const message = await insertMessage(
        trx,
        { ...input, id: input.id ?? deps.ids.messageId(), createdAt: now },
        conversation.lastSeq,
      );
      await afterInsert?.(trx, message, conversation);
      return { message, created: true };
    });
  } catch (error) {
    if (error instanceof NoLongerHolds) return undefined;
    // The same message sent again to another instance while the first copy was being stored: the
    // second insert waited for the first and hit the unique (conversation, clientMessageId) pair.
    if (input.clientMessageId && isUniqueViolation(error)) {
      const existing = await findByClientMessageId(deps.db, input.conversationId, input.clientMessageId);
      if (existing) return { message: existing, created: false };
    }
    throw error;
  }
  if (result?.created) deps.live.message(input.conversationId, result.message);
  return result;
}

/** Thrown to roll back an append whose condition no longer holds on the locked row. */
class NoLongerHolds extends Error {}

/**
 * Inserts a message inside the caller's transaction, so it commits (or not) with the change it
 * announces. Publish it with `deps.live.message` after the commit.
 */
export async function insertMessageInTransaction(
  trx: Db,
  deps: Pick<ServiceDeps, 'now' | 'ids'>,
  input: AppendInput,
): Promise<Message> {
  const now = deps.now().toISOString();
  const { lastSeq } = await nextSeq(trx, input.conversationId, now);
  return insertMessage(trx, { ...input, id: input.id ?? deps.ids.messageId(), createdAt: now }, lastSeq);
}
