import type { Logger } from 'pino';
import { findConversation, updateStatus } from '../conversation/conversation-repository.js';
import type { Db } from '../storage/database.js';
import { findHandoff, recordCardFailed, recordCardPosted } from '../handoff/handoff-repository.js';
import { findMessage, listMessages, setSlackTs } from '../conversation/message-repository.js';
import { enqueueOutbox, type OutboxItem } from '../storage/outbox-repository.js';
import { REASON_LABELS } from '../handoff/triggers.js';
import { buildHandoffCard } from './handoff-card.js';
import type { ThreadNotice } from '../handoff/agent-actions.js';
import { escapeMrkdwn, plainLabel, quoteUntrusted, truncate } from './mrkdwn.js';
import type { OutboxMessage, OutboxRenderer } from './outbox-worker.js';

export interface RendererDeps {
  db: Db;
  now: () => Date;
  log: Logger;
  /** Tells the customer, in their chat, that the team could not be reached. */
  notifyCustomer: (conversationId: string, text: string) => Promise<void>;
  onStatus: (conversationId: string, status: 'queued') => void;
  /** Wakes the outbox for items this renderer queues itself. */
  kick: () => void;
}

export const CARD_FAILED_NOTICE =
  "Sorry, we couldn't reach our support team just now. Leave your email below and we'll get back to you there.";

export function noticeText(n: ThreadNotice): string {
  if (n.notice === 'resolved') {
    return `:white_check_mark: Resolved by ${escapeMrkdwn(n.by)}. The customer was asked to rate the chat.`;
  }
  if (n.notice === 'escalated') {
    const who = n.level >= 2 ? '<!here>' : n.mention.map((id) => `<@${id}>`).join(' ') || '<!here>';
    return `:rotating_light: ${who} this customer has waited ${n.waitedMinutes} min without an agent. Can someone claim it?`;
  }
  if (n.notice === 'agent_sent') {
    return `*${escapeMrkdwn(n.by)}* sent the suggested reply:\n${quoteUntrusted(n.text, 3500)}`;
  }
  const stars = `${'★'.repeat(n.score)}${'☆'.repeat(5 - n.score)}`;
  const said = n.comment ? `: “${escapeMrkdwn(truncate(n.comment, 500))}”` : '';
  return `The customer rated the chat ${stars} (${n.score}/5)${said}`;
}

export function createOutboxRenderer(deps: RendererDeps): OutboxRenderer {
  async function cardFor(item: OutboxItem, updateTs?: string): Promise<OutboxMessage | { skip: string }> {
    const handoff = item.handoffId ? await findHandoff(deps.db, item.handoffId) : undefined;
    const conversation = handoff ? await findConversation(deps.db, handoff.conversationId) : undefined;
    if (!handoff || !conversation) return { skip: 'handoff gone' };
    if (updateTs === undefined && item.kind === 'card_update') {
      if (!handoff.card) return { skip: 'card never posted' };
      updateTs = handoff.card.ts;
    }
    const messages = await listMessages(deps.db, conversation.id, 0, 1000);
    const card = buildHandoffCard({ handoff, conversation, messages, now: deps.now() });
    return { channel: item.channel, ...card, updateTs };
  }

  async function threadMessage(
    item: OutboxItem,
  ): Promise<OutboxMessage | { skip: string; failed?: boolean }> {
    const handoff = item.handoffId ? await findHandoff(deps.db, item.handoffId) : undefined;
    const message = item.messageId ? await findMessage(deps.db, item.messageId) : undefined;
    if (!message) return { skip: 'message gone' };
    if (!handoff?.card) return { skip: 'no_thread: the handoff card was never posted', failed: true };
    const conversation = await findConversation(deps.db, handoff.conversationId);
    const name = plainLabel(conversation?.customer.name ?? '');
    return {
      channel: handoff.card.channel,
      threadTs: handoff.card.ts,
      text: `*${name} (customer):*\n${quoteUntrusted(message.text, 3500)}`,
    };
  }

  async function threadNotice(item: OutboxItem): Promise<OutboxMessage | { skip: string }> {
    const handoff = item.handoffId ? await findHandoff(deps.db, item.handoffId) : undefined;
    const text = noticeText(item.payload as ThreadNotice);
    if (!handoff?.card) return { skip: 'no thread to post in' };
    return { channel: handoff.card.channel, threadTs: handoff.card.ts, text };
  }

  return {
    render(item) {
      if (item.kind === 'handoff_card' || item.kind === 'card_update') return cardFor(item);
      if (item.kind === 'thread_message') return threadMessage(item);
      if (item.kind === 'thread_notice') return threadNotice(item);
      if (item.kind === 'channel_notice' || item.kind === 'dm') {
        // Text built by Baton itself (mentions and links on purpose); the channel is a channel or a user's DM.
        const text = typeof item.payload.text === 'string' ? item.payload.text : undefined;
        return Promise.resolve(text ? { channel: item.channel, text } : { skip: 'empty notice' });
      }
      return Promise.resolve({ skip: `unknown kind ${item.kind}` });
    },
    async delivered(item, ts, db) {
      const now = deps.now().toISOString();
      if (item.kind === 'handoff_card' && item.handoffId) {
        const handoff = await findHandoff(db, item.handoffId);
        if (handoff) await recordCardPosted(db, handoff, item.channel, ts, now);
        // Claimed while the card was on its way (e.g. a takeover from App Home): the claim could not
        // queue an update for a card not yet recorded, so bring the posted card up to date now.
        const latest = handoff && (await findHandoff(db, handoff.id));
        if (latest?.claimedBy || latest?.resolvedAt) {
          await enqueueOutbox(db, {
            channel: item.channel,
            kind: 'card_update',
            conversationId: latest.conversationId,
            handoffId: latest.id,
            now,
          });
          deps.kick();
        }
        // The agents routing picked (first-available: everyone notified) also get a direct message.
        if (handoff && handoff.assignedTo.length > 0 && !handoff.claimedBy) {
          for (const agent of handoff.assignedTo.slice(0, 20)) {
            await enqueueOutbox(db, {
              channel: agent,
              kind: 'dm',
              handoffId: handoff.id,
              payload: {
                text: `:raising_hand: A customer needs you in <#${item.channel}>: *${escapeMrkdwn(REASON_LABELS[handoff.reason])}*. Open the card there and click *Claim*.`,
              },
              now,
            });
          }
          deps.kick();
        }
      } else if (item.kind === 'thread_message' && item.messageId) {
        await setSlackTs(db, item.messageId, ts);
      }
    },
    async failed(item, code) {
      if (item.kind !== 'handoff_card' || !item.handoffId || !item.conversationId) return;
      await recordCardFailed(deps.db, item.handoffId, code);
      // Nobody in Slack will see this conversation: say so honestly and promise email follow-up instead.
      const moved = await updateStatus(
        deps.db,
        item.conversationId,
        ['waiting'],
        'queued',
        deps.now().toISOString(),
      );
      deps.log.error({ conversationId: item.conversationId, code }, 'handoff card could not be posted');
      if (moved) {
        await deps.notifyCustomer(item.conversationId, CARD_FAILED_NOTICE);
        deps.onStatus(item.conversationId, 'queued');
      }
    },
  };
}
