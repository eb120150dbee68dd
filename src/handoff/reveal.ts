import { findConversation } from '../conversation/conversation-repository.js';
import type { Message } from '../conversation/conversation.js';
import { listMessages } from '../conversation/message-repository.js';
import { appendAudit } from '../desk/audit-repository.js';
import type { ServiceDeps } from '../ports.js';
import { maskSensitive, type SensitiveKind } from '../privacy/sensitive-data.js';
import { findHandoffByThread } from './handoff-repository.js';
import { findPostedHandoff } from './posted-handoff.js';

/** What the button names, and the Slack message it was clicked on (a card, or a line in a card's thread). */
export type RevealTarget =
  { handoffId: string; cardTs: string } | { messageId: string; threadTs: string | undefined };

export type Revealed =
  | { ok: true; lines: { label: string; text: string }[] }
  | { ok: false; reason: 'not_found' | 'elsewhere' | 'nothing_masked' | 'card_pending' };

/**
 * What an agent asked to see unmasked: one customer line of a thread, or everything masked on a card
 * (the customer's lines up to the handoff, their address, the reason line and the rating comment). Only for a click in the channel where
 * that card lives; every reveal is written to the audit log (who, when, which message or card)
 * before anything is shown. `cardWaitMs`: how long to read again for a card Slack showed before Baton
 * recorded it (findPostedHandoff), the listener's to choose.
 */
export async function revealMasked(
  deps: Pick<ServiceDeps, 'db' | 'now' | 'settings'>,
  actor: string,
  channel: string,
  target: RevealTarget,
  cardWaitMs?: number,
): Promise<Revealed> {
  const kinds = (await deps.settings()).redaction.masked;
  const isMasked = (text: string) => maskSensitive(text, kinds).masked.length > 0;
  if ('messageId' in target) {
    const message = await deps.db
      .selectFrom('messages')
      .select(['id', 'conversation_id', 'text', 'author'])
      .where('id', '=', target.messageId)
      .executeTakeFirst();
    if (!message || message.author !== 'customer') return { ok: false, reason: 'not_found' };
    // The button must be in a thread of this message's own conversation.
    const threadOf = target.threadTs && (await findHandoffByThread(deps.db, channel, target.threadTs));
    if (!threadOf || threadOf.conversationId !== message.conversation_id)
      return { ok: false, reason: 'elsewhere' };
    if (!isMasked(message.text)) return { ok: false, reason: 'nothing_masked' };
    await audit(deps, actor, { messageId: message.id, conversationId: message.conversation_id }, kinds);
    return { ok: true, lines: [{ label: 'Customer', text: message.text }] };
  }
  const handoff = await findPostedHandoff(deps.db, target.handoffId, cardWaitMs);
  // Slack shows a card before Baton has read its answer: not "gone", only not recorded yet.
  if (handoff && !handoff.card && handoff.cardState === 'pending' && handoff.channel === channel)
    return { ok: false, reason: 'card_pending' };
  if (!handoff?.card) return { ok: false, reason: 'not_found' };
  // The button must be on this handoff's own card: a value copied onto another message is refused.
  if (handoff.card.channel !== channel || handoff.card.ts !== target.cardTs)
    return { ok: false, reason: 'elsewhere' };
  const conversation = await findConversation(deps.db, handoff.conversationId);
  if (!conversation) return { ok: false, reason: 'not_found' };
  const lines: { label: string; text: string }[] = [];
  // Everything the card shows masked: the addresses, the reason line (it may quote the customer), the
  // rating comment, and below the customer's lines up to the handoff.
  for (const [label, value] of [
    ['Email', conversation.customer.email],
    ['Follow-up email', conversation.followUpEmail],
    ['Why', handoff.detail],
    ['Rating comment', conversation.csat?.comment],
  ] as const)
    if (value && isMasked(value)) lines.push({ label, text: value });
  const before = (await listMessages(deps.db, conversation.id, 0, 1000)).filter(
    (m: Message) => m.author === 'customer' && !m.deletedAt && m.createdAt <= handoff.triggeredAt,
  );
  for (const m of before) if (isMasked(m.text)) lines.push({ label: 'Customer', text: m.text });
  if (lines.length === 0) return { ok: false, reason: 'nothing_masked' };
  await audit(deps, actor, { handoffId: handoff.id, conversationId: conversation.id }, kinds);
  return { ok: true, lines };
}

async function audit(
  deps: Pick<ServiceDeps, 'db' | 'now'>,
  actor: string,
  what: Record<string, string>,
  kinds: readonly SensitiveKind[],
) {
  await appendAudit(deps.db, {
    actor,
    action: 'reveal masked data',
    newValue: { ...what, kinds },
    at: deps.now().toISOString(),
  });
}
