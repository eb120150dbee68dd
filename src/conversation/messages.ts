import { nextSeq } from './conversation-repository.js';
import type { Db } from '../storage/database.js';
import { findByClientMessageId, insertMessage, type NewMessage } from './message-repository.js';
import type { Conversation, Message } from './conversation.js';
import type { ServiceDeps } from '../ports.js';

type AppendInput = Omit<NewMessage, 'id' | 'createdAt'> & { id?: string };

/**
 * Appends a message with the next sequence number in one transaction. When a
 * clientMessageId is given and already stored, returns the stored message instead
 * (the widget resent after losing our answer).
 */
export async function appendMessage(
  deps: Pick<ServiceDeps, 'transact' | 'now' | 'ids' | 'live'>,
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
  deps: Pick<ServiceDeps, 'transact' | 'now' | 'ids' | 'live'>,
  input: AppendInput,
  guard: (trx: Db) => Promise<boolean>,
  afterInsert?: AfterInsert,
): Promise<{ message: Message; created: boolean } | undefined> {
  const now = deps.now().toISOString();
  const result = await deps.transact(async (trx) => {
    if (!(await guard(trx))) return undefined;
    if (input.clientMessageId) {
      const existing = await findByClientMessageId(trx, input.conversationId, input.clientMessageId);
      if (existing) return { message: existing, created: false };
    }
    const conversation = await nextSeq(trx, input.conversationId, now);
    const message = await insertMessage(
      trx,
      { ...input, id: input.id ?? deps.ids.messageId(), createdAt: now },
      conversation.lastSeq,
    );
    await afterInsert?.(trx, message, conversation);
    return { message, created: true };
  });
  if (result?.created) deps.live.message(input.conversationId, result.message);
  return result;
}

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
