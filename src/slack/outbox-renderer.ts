import { findConversation } from '../conversation/conversation-repository.js';
import type { ThreadNotice } from '../conversation/effects.js';
import { listMessages } from '../conversation/message-repository.js';
import { findHandoff, findThreadLine } from '../handoff/handoff-repository.js';
import { REASON_LABELS } from '../handoff/triggers.js';
import type { Db } from '../storage/database.js';
import type { OutboxItem } from '../storage/outbox-repository.js';
import { findSuggestion } from '../handoff/suggestion-repository.js';
import { buildSuggestionBlocks } from './copilot-blocks.js';
import { buildHandoffCard, REVEAL_ACTION } from './handoff-card.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { inlineUntrusted, plainLabel, quotedInline, quoteUntrusted } from './untrusted-mrkdwn.js';
import { findDeliveryMark } from '../handoff/delivery-marks-repository.js';
import type { OutboxMessage, OutboxRenderer, RenderResult } from './outbox-worker.js';
import { maskCardData, maskedText } from '../privacy/mask-for-slack.js';
import { maskSensitive, type SensitiveKind } from '../privacy/sensitive-data.js';

export interface RendererDeps {
  db: Db;
  now: () => Date;
  /** A link to a message, for direct messages that point back to a thread (a read; undefined if Slack has none). */
  permalink?: (channel: string, ts: string) => Promise<string | undefined>;
  /** The kinds of personal data masked in Slack now (`/baton redact`). */
  maskedKinds: () => Promise<readonly SensitiveKind[]>;
}

export function noticeText(n: ThreadNotice): string {
  if (n.notice === 'claimed') {
    return `:raising_hand: <@${n.agentId}> has this conversation. Reply in this thread to talk to the customer; start a reply with \`note:\` to keep it internal.`;
  }
  if (n.notice === 'resolved') {
    return `:white_check_mark: Resolved by ${inlineUntrusted(n.by, 100)}. The customer was asked to rate the chat.`;
  }
  if (n.notice === 'escalated') {
    const named = n.level >= 2 ? '' : n.mention.map((id) => `<@${id}>`).join(' ');
    const who = named || (n.here === false ? '' : '<!here>');
    return `:rotating_light: ${who ? `${who} ` : ''}this customer has waited ${n.waitedMinutes} min without an agent. Can someone claim it?`;
  }
  if (n.notice === 'agent_sent') {
    return `*${plainLabel(n.by, 100, 'An agent')}* sent the suggested reply:\n${quoteUntrusted(n.text, 3500)}`;
  }
  const stars = `${'★'.repeat(n.score)}${'☆'.repeat(5 - n.score)}`;
  // The comment is quoted line by line, not put in “…”: a quote mark in it could seem to end Baton's.
  const said = n.comment?.trim() ? `, and said:\n${quoteUntrusted(n.comment, 1000)}` : '';
  return `The customer rated the chat ${stars} (${n.score}/5)${said}`;
}

/**
 * A customer's message in the handoff thread: the name on the first line (a burst keeps only the
 * first post's), then the text, every line quoted.
 */
export function customerLineText(name: string | undefined, text: string, max = 3500): string {
  return `*${plainLabel(name ?? '')} (customer):*\n${quoteUntrusted(text, max)}`;
}

/**
 * A customer line as a section's text: Slack refuses more than 3,000 characters there, and escaping
 * (`&` becomes `&amp;`) and quoting make the text longer than what was typed, so it is cut until it fits.
 */
function sectionLineText(name: string | undefined, text: string): string {
  for (let budget = 2_800; ; budget = Math.floor(budget * 0.7)) {
    const rendered = customerLineText(name, text, budget);
    if (rendered.length <= 3_000 || budget < 100) return rendered.slice(0, 3_000);
  }
}

/** Turns an outbox item into the Slack call to make, from the state at send time. Renders only: it changes nothing. */
export function createOutboxRenderer(deps: RendererDeps): OutboxRenderer {
  async function card(
    item: Extract<OutboxItem, { kind: 'handoff_card' | 'card_update' }>,
  ): Promise<RenderResult> {
    const handoff = await findHandoff(deps.db, item.handoffId);
    const conversation = handoff && (await findConversation(deps.db, handoff.conversationId));
    if (!handoff || !conversation) return { skip: 'handoff gone' };
    let updateTs: string | undefined;
    if (item.kind === 'card_update') {
      if (!handoff.card) return { skip: 'card never posted' };
      updateTs = handoff.card.ts;
    }
    const shown = maskCardData(
      conversation,
      await listMessages(deps.db, conversation.id, 0, 1000),
      handoff,
      await deps.maskedKinds(),
    );
    const built = buildHandoffCard({
      handoff: { ...handoff, summary: shown.summary, detail: shown.detail },
      conversation: shown.conversation,
      messages: shown.messages,
      now: deps.now(),
      revealable: shown.masked,
    });
    return { channel: item.channel, ...built, updateTs };
  }

  async function threadMessage(item: Extract<OutboxItem, { kind: 'thread_message' }>): Promise<RenderResult> {
    const line = await findThreadLine(deps.db, item.messageId, item.handoffId);
    if (!line) return { skip: 'message gone' };
    if (!line.thread) return { skip: 'no_thread: the handoff card was never posted', failed: true };
    const shown = maskSensitive(line.text, await deps.maskedKinds());
    const text = customerLineText(line.customerName, shown.text);
    if (shown.masked.length === 0) return { channel: line.thread.channel, threadTs: line.thread.ts, text };
    // Masked: the line carries its own Reveal button (and so is never merged into a burst).
    return {
      channel: line.thread.channel,
      threadTs: line.thread.ts,
      text,
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: sectionLineText(line.customerName, shown.text) },
        },
        {
          type: 'actions',
          block_id: `reveal_${item.messageId}`.slice(0, 255),
          elements: [
            {
              type: 'button',
              action_id: REVEAL_ACTION,
              text: { type: 'plain_text', text: 'Reveal' },
              value: `m:${item.messageId}`,
            },
          ],
        },
      ],
    };
  }

  async function threadNotice(item: Extract<OutboxItem, { kind: 'thread_notice' }>): Promise<RenderResult> {
    const handoff = await findHandoff(deps.db, item.handoffId);
    if (!handoff?.card) return { skip: 'no thread to post in' };
    // A rating comment is the customer's own words.
    const notice =
      item.notice.notice === 'rated' && item.notice.comment
        ? { ...item.notice, comment: maskedText(item.notice.comment, await deps.maskedKinds()) }
        : item.notice;
    return { channel: handoff.card.channel, threadTs: handoff.card.ts, text: noticeText(notice) };
  }

  async function directMessage(item: Extract<OutboxItem, { kind: 'dm' }>): Promise<RenderResult> {
    const handoff = await findHandoff(deps.db, item.handoffId);
    if (!handoff) return { skip: 'handoff gone' };
    // Claimed before the DM went out: nobody needs to be called any more.
    if (handoff.claimedBy || handoff.resolvedAt) return { skip: 'already claimed' };
    const where = handoff.card?.channel ?? handoff.channel;
    const text = `:raising_hand: A customer needs you in <#${where}>: *${escapeMrkdwn(REASON_LABELS[handoff.reason])}*. Open the card there and click *Claim*.`;
    return { channel: item.channel, text } satisfies OutboxMessage;
  }

  async function copilot(item: Extract<OutboxItem, { kind: 'copilot' }>): Promise<RenderResult> {
    const suggestion = await findSuggestion(deps.db, item.suggestionId);
    // Sent, dismissed or gone before the message went out: nothing to offer any more.
    if (suggestion?.state !== 'offered') return { skip: 'suggestion no longer offered' };
    const handoff = await findHandoff(deps.db, item.handoffId);
    const link =
      handoff?.card && deps.permalink
        ? await deps.permalink(handoff.card.channel, handoff.card.ts).catch(() => undefined)
        : undefined;
    return { channel: item.channel, ...buildSuggestionBlocks(suggestion, link) };
  }

  /** A delivery mark on the agent's own reply, or the thread note that it has not arrived. */
  async function deliveryMark(
    item: Extract<OutboxItem, { kind: 'reaction' | 'delivery_notice' }>,
  ): Promise<RenderResult> {
    const reply = await findDeliveryMark(deps.db, item.messageId);
    // Deleted (or turned into a note) since: its marks no longer matter, and nothing went wrong.
    if (!reply) return { skip: 'the reply is gone' };
    // Queued in the channel's marks lane (delivery-marks.ts); the call names the reply's own channel.
    if (item.kind === 'reaction')
      return reply.ts
        ? { channel: reply.channel, reaction: { ts: reply.ts, name: item.name, op: item.op } }
        : { skip: 'the reply was never posted in the thread' };
    // Told only while it is still true: a reply that arrived meanwhile needs no note.
    if (reply.deliveredAt || reply.emailedAt) return { skip: 'delivered meanwhile' };
    const who = reply.agentId ? `<@${reply.agentId}> ` : '';
    return {
      channel: item.channel,
      threadTs: reply.threadTs,
      text: `:warning: ${who}Your reply ${quotedInline(reply.text, 80)} has not reached the customer after 2 minutes: ${escapeMrkdwn(item.reason)}.`,
    };
  }

  return {
    render(item) {
      switch (item.kind) {
        case 'handoff_card':
        case 'card_update':
          return card(item);
        case 'thread_message':
          return threadMessage(item);
        case 'thread_notice':
          return threadNotice(item);
        case 'dm':
          return directMessage(item);
        case 'copilot':
          return copilot(item);
        case 'channel_notice':
          return Promise.resolve(
            item.text ? { channel: item.channel, text: item.text } : { skip: 'empty notice' },
          );
        case 'reaction':
        case 'delivery_notice':
          return deliveryMark(item);
        case 'unreadable':
          return Promise.resolve({ skip: `unreadable: ${item.why}`, failed: true });
      }
    },
  };
}
