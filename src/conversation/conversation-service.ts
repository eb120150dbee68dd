import { createHash, timingSafeEqual } from 'node:crypto';
import {
  findTokenHash,
  listUnansweredBotConversations,
  insertConversation,
  setCsat,
  setFollowUpEmail,
  updateStatus,
} from './conversation-repository.js';
import { findLatestHandoff } from '../handoff/handoff-repository.js';
import { listMessages } from './message-repository.js';
import { cardChannelOf, enqueueOutbox } from '../storage/outbox-repository.js';
import { type Conversation, type ConversationStatus, type Message, relaysToSlack } from './lifecycle.js';
import { queueCardUpdate, queueThreadNotice } from '../handoff/agent-actions.js';
import { answerCustomerMessage, answerWhileQueued } from './assistant-turn.js';
import { appendMessageIf, requireConversation } from './messages.js';
import type { ServiceDeps } from '../ports.js';
import { AppError } from '../lib/errors.js';
import { fireHandoff } from '../handoff/fire-handoff.js';
import type { KeyedSerialQueue } from '../lib/keyed-serial-queue.js';

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

/** 404 for an unknown id, 401 for a missing or wrong token. Tokens are compared as hashes in constant time. */
export async function authenticate(deps: Pick<ServiceDeps, 'db'>, id: string, token: string | undefined) {
  const stored = await findTokenHash(deps.db, id);
  if (!stored) throw new AppError('not_found', 'No such conversation');
  if (!token) throw new AppError('unauthorized', 'Missing bearer token');
  const given = Buffer.from(hashToken(token), 'hex');
  if (!timingSafeEqual(given, Buffer.from(stored, 'hex')))
    throw new AppError('unauthorized', 'Wrong token for this conversation');
  return requireConversation(deps, id);
}

/**
 * Stores the customer's message and answers at once. The status is read inside the transaction that
 * stores the message, so a resolve or handoff racing this request cannot misdirect it. After a handoff
 * the relay to the Slack thread is queued in that same transaction (a crash right after the 201 cannot
 * lose it); the assistant's part follows in the background, in order per conversation.
 */
export async function postCustomerMessage(
  deps: ConversationDeps,
  conversation: Conversation,
  input: { text: string; clientMessageId?: string },
): Promise<Message> {
  let statusAtStore: ConversationStatus = conversation.status;
  const appended = await appendMessageIf(
    deps,
    {
      conversationId: conversation.id,
      author: 'customer',
      text: input.text,
      clientMessageId: input.clientMessageId,
    },
    async () => true,
    async (trx, message) => {
      const current = await requireConversation({ db: trx }, conversation.id);
      statusAtStore = current.status;
      if (current.status === 'resolved') {
        // Writing again after a resolution opens a new round with the assistant.
        statusAtStore = 'bot';
        await updateStatus(trx, conversation.id, ['resolved'], 'bot', deps.now().toISOString());
      }
      if (relaysToSlack(statusAtStore)) await queueRelay(deps, trx, conversation.id, message);
    },
  );
  const { message, created } = appended!;
  if (!created) return message;
  if (conversation.status === 'resolved' && statusAtStore === 'bot') deps.live.status(conversation.id, 'bot');
  const relayed = relaysToSlack(statusAtStore);
  if (relayed) deps.kickOutbox();
  // In `bot` the assistant answers (or hands off); while `queued` it keeps helping until a person replies.
  if (!relayed || statusAtStore === 'queued') {
    void deps.track(
      deps
        .perConversation(conversation.id, () => afterCustomerMessage(deps, conversation.id, message, relayed))
        .catch((error) =>
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
) {
  const conversation = await requireConversation(deps, conversationId);
  if (conversation.status === 'bot') return answerCustomerMessage(deps, conversation, message);
  // A handoff fired while this message waited for its turn: it belongs in the thread now.
  if (!alreadyRelayed && relaysToSlack(conversation.status))
    await relayCustomerMessage(deps, conversationId, message);
  if (conversation.status === 'queued') await answerWhileQueued(deps, conversation, message);
}

async function queueRelay(
  deps: ServiceDeps,
  db: ServiceDeps['db'],
  conversationId: string,
  message: Message,
) {
  const handoff = await findLatestHandoff(db, conversationId);
  if (!handoff) return;
  await enqueueOutbox(db, {
    channel: handoff.card?.channel ?? (await cardChannelOf(db, handoff.id)) ?? deps.handoffChannel,
    kind: 'thread_message',
    conversationId,
    handoffId: handoff.id,
    messageId: message.id,
    now: deps.now().toISOString(),
  });
}

export async function relayCustomerMessage(deps: ServiceDeps, conversationId: string, message: Message) {
  await queueRelay(deps, deps.db, conversationId, message);
  deps.kickOutbox();
}

/** The customer's "Talk to a person" button: never gated by any setting. */
export async function requestHandoff(deps: ConversationDeps, conversation: Conversation) {
  return deps.perConversation(conversation.id, async () => {
    const current = await requireConversation(deps, conversation.id);
    if (current.status === 'resolved') {
      await updateStatus(deps.db, current.id, ['resolved'], 'bot', deps.now().toISOString());
    }
    await fireHandoff(deps, {
      conversationId: conversation.id,
      reason: 'requested',
      detail: 'pressed "Talk to a person"',
    });
    return requireConversation(deps, conversation.id);
  });
}

export async function submitCsat(
  deps: ConversationDeps,
  conversation: Conversation,
  score: number,
  comment?: string,
) {
  if (conversation.status !== 'resolved')
    throw new AppError('conflict', 'Ratings open once the conversation is resolved');
  await setCsat(deps.db, conversation.id, score, comment, deps.now().toISOString());
  const handoff = await findLatestHandoff(deps.db, conversation.id);
  if (handoff) {
    await queueCardUpdate(deps, handoff);
    await queueThreadNotice(deps, handoff, { notice: 'rated', score, comment });
  }
}

export async function leaveFollowUpEmail(deps: ConversationDeps, conversation: Conversation, email: string) {
  await setFollowUpEmail(deps.db, conversation.id, email, deps.now().toISOString());
  const handoff = await findLatestHandoff(deps.db, conversation.id);
  if (handoff) await queueCardUpdate(deps, handoff);
}

/**
 * At start-up: a customer message stored (and acknowledged) just before a stop has no answer yet.
 * Answer it now, so no acknowledged message is left hanging.
 */
export async function answerLeftovers(deps: ConversationDeps): Promise<number> {
  const ids = await listUnansweredBotConversations(deps.db);
  for (const id of ids) {
    await deps.perConversation(id, async () => {
      const conversation = await requireConversation(deps, id);
      const [last] = (await listMessages(deps.db, id, conversation.lastSeq - 1, 1)).filter(
        (m) => m.author === 'customer',
      );
      if (conversation.status === 'bot' && last) await answerCustomerMessage(deps, conversation, last);
    });
  }
  if (ids.length > 0)
    deps.log.info({ count: ids.length }, 'answered customer messages left from before the restart');
  return ids.length;
}
