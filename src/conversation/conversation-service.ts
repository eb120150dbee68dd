import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../lib/errors.js';
import type { KeyedSerialQueue } from '../lib/keyed-serial-queue.js';
import type { ServiceDeps } from '../ports.js';
import { fireHandoff } from '../handoff/fire-handoff.js';
import { applyEvent, applyInTransaction, lifecycleContext, retryStale } from './apply-event.js';
import { answerCustomerMessage, answerWhileQueued } from './assistant-turn.js';
import { type AfterCommit, publishCommitted } from './commit-effects.js';
import { type Conversation, type ConversationStatus, type Message, relaysToSlack } from './conversation.js';
import {
  findConversationAndTokenHash,
  insertConversation,
  listUnansweredBotConversations,
  requireConversation,
} from './conversation-repository.js';
import { listMessages } from './message-repository.js';
import { appendMessageIf } from './messages.js';

export type ConversationDeps = ServiceDeps & { perConversation: KeyedSerialQueue };

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function startConversation(
  deps: ConversationDeps,
  input: {
    customer?: { name?: string; email?: string };
    pageUrl?: string;
    metadata?: Record<string, string>;
  },
): Promise<{ conversation: Conversation; token: string }> {
  const token = deps.ids.token();
  const conversation = await insertConversation(deps.db, {
    id: deps.ids.conversationId(),
    tokenHash: hashToken(token),
    customer: input.customer ?? {},
    pageUrl: input.pageUrl,
    metadata: input.metadata ?? {},
    now: deps.now().toISOString(),
  });
  return { conversation, token };
}

/** One 404 for an unknown id, a missing token and a wrong one. Tokens are compared as hashes in constant time. */
const NOT_YOURS = 'No such conversation, or the token does not match it';
/** Compared against when the id is unknown (no token hashes to it), so that path costs what a wrong token costs. */
const UNKNOWN_TOKEN_HASH = '0'.repeat(64);

export async function authenticate(deps: Pick<ServiceDeps, 'db'>, id: string, token: string | undefined) {
  // One answer for an unknown id, a missing token and a wrong one, after the same work: a visitor
  // cannot learn which conversation ids exist.
  const found = await findConversationAndTokenHash(deps.db, id);
  const stored = found?.tokenHash ?? UNKNOWN_TOKEN_HASH;
  const given = Buffer.from(hashToken(token ?? ''), 'hex');
  const matches = timingSafeEqual(given, Buffer.from(stored, 'hex'));
  if (!found || !matches || !token) throw new AppError('not_found', NOT_YOURS);
  return found.conversation;
}

/**
 * Stores the customer's message and answers at once. The lifecycle step runs in the transaction that
 * stores the message, so a resolve or handoff racing this request cannot misdirect it: after a handoff the
 * relay to the Slack thread is queued in that same transaction (a crash right after the 201 cannot lose it).
 * The assistant's part follows in the background, in order per conversation.
 */
export async function postCustomerMessage(
  deps: ConversationDeps,
  conversation: Conversation,
  input: { text: string; clientMessageId?: string; mayHandOff?: () => Promise<boolean> },
): Promise<Message> {
  let statusAfter: ConversationStatus = conversation.status;
  let after: AfterCommit | undefined;
  const context = await lifecycleContext(deps, conversation.id, { kind: 'customer_message', messageId: '' });
  const appended = await retryStale(() =>
    appendMessageIf(
      deps,
      {
        conversationId: conversation.id,
        author: 'customer',
        text: input.text,
        clientMessageId: input.clientMessageId,
      },
      async () => true,
      async (trx, message, locked) => {
        const step = await applyInTransaction(
          trx,
          deps,
          { conversationId: conversation.id, locked },
          { kind: 'customer_message', messageId: message.id },
          context,
        );
        if (step.applied.ok) statusAfter = step.applied.step.status;
        after = step.after;
      },
    ),
  );
  const { message, created } = appended!;
  if (!created) return message;
  if (after) publishCommitted(deps, conversation.id, after);
  const relayed = relaysToSlack(statusAfter);
  // In `bot` the assistant answers (or hands off); while `queued` it keeps helping until a person replies.
  if (!relayed || statusAfter === 'queued') {
    void deps.track(
      deps
        .perConversation(conversation.id, () =>
          afterCustomerMessage(deps, conversation.id, message, relayed, input.mayHandOff),
        )
        .catch((error: unknown) =>
          deps.log.error(
            { err: error, conversationId: conversation.id },
            'processing a customer message failed',
          ),
        ),
    );
  }
  return message;
}

async function afterCustomerMessage(
  deps: ConversationDeps,
  conversationId: string,
  message: Message,
  alreadyRelayed: boolean,
  mayHandOff?: () => Promise<boolean>,
) {
  const conversation = await requireConversation(deps.db, conversationId);
  if (conversation.status === 'bot') return answerCustomerMessage(deps, conversation, message, mayHandOff);
  // A handoff fired while this message waited for its turn: it belongs in the thread now.
  if (!alreadyRelayed && relaysToSlack(conversation.status))
    await applyEvent(deps, { conversationId }, { kind: 'late_relay', messageId: message.id });
  if (conversation.status === 'queued') await answerWhileQueued(deps, conversation, message);
}

/** The customer's "Talk to a person" button: never gated by any setting. */
export async function requestHandoff(deps: ConversationDeps, conversation: Conversation) {
  return deps.perConversation(conversation.id, async () => {
    await fireHandoff(deps, conversation.id, 'request', {
      reason: 'requested',
      detail: 'pressed "Talk to a person"',
    });
    return requireConversation(deps.db, conversation.id);
  });
}

export async function submitCsat(
  deps: ConversationDeps,
  conversation: Conversation,
  score: number,
  comment?: string,
) {
  const applied = await applyEvent(
    deps,
    { conversationId: conversation.id },
    { kind: 'rate', score, comment },
  );
  if (!applied.ok) throw new AppError('conflict', 'Ratings open once the conversation is resolved');
}

export async function leaveFollowUpEmail(deps: ConversationDeps, conversation: Conversation, email: string) {
  await applyEvent(deps, { conversationId: conversation.id }, { kind: 'email_left', email });
}

/**
 * At start-up: a customer message stored (and acknowledged) just before a stop has no answer yet.
 * Answer it now, so no acknowledged message is left hanging. In a fleet another instance may be
 * answering a line this very moment, so only lines older than `before` count as left over.
 */
export async function answerLeftovers(deps: ConversationDeps, before?: Date): Promise<number> {
  const ids = await listUnansweredBotConversations(deps.db, before ? { before: before.toISOString() } : {});
  for (const id of ids) {
    await deps.perConversation(id, async () => {
      const conversation = await requireConversation(deps.db, id);
      const [last] = (await listMessages(deps.db, id, conversation.lastSeq - 1, 1)).filter(
        (m) => m.author === 'customer',
      );
      if (conversation.status === 'bot' && last)
        await answerCustomerMessage(deps, conversation, last, undefined, true);
    });
  }
  if (ids.length > 0)
    deps.log.info(
      { count: ids.length },
      'answered customer messages left unanswered (a restart or a lost instance)',
    );
  return ids.length;
}
