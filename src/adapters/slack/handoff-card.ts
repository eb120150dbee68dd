import type { ArticleRef } from '../../domain/assistant.js';
import type { Conversation, Message } from '../../domain/conversation.js';
import { REASON_LABELS } from '../../domain/triggers.js';
import type { Handoff } from '../storage/handoff-repository.js';
import { escapeMrkdwn, quoteUntrusted, truncate } from './mrkdwn.js';

export const CLAIM_ACTION = 'baton_claim';
export const RESOLVE_ACTION = 'baton_resolve';
const SECTION_MAX = 3000;
const LAST_MESSAGES = 6;

export interface CardInput {
  handoff: Handoff;
  conversation: Conversation;
  messages: Message[];
  now: Date;
  /** Where the whole transcript can be read when the card has to cut it. */
  transcriptUrl?: string;
}

type Block = Record<string, unknown>;

export function sentimentLabel(score: number | undefined): string {
  if (score === undefined) return 'Unknown';
  if (score <= -0.5) return `:rage: Negative (${score.toFixed(2)})`;
  if (score < -0.1) return `:slightly_frowning_face: Slightly negative (${score.toFixed(2)})`;
  if (score < 0.1) return `:neutral_face: Neutral (${score.toFixed(2)})`;
  return `:slightly_smiling_face: Positive (${score.toFixed(2)})`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

const section = (text: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, SECTION_MAX) },
});
const field = (label: string, value: string) => ({
  type: 'mrkdwn',
  text: truncate(`*${label}*\n${value}`, 2000),
});

function articleLink(a: ArticleRef): string {
  const title = escapeMrkdwn(a.title);
  // Only our own knowledge base's http(s) URLs become links; titles are escaped like any text.
  return a.url && /^https?:\/\/[^\s|<>]+$/.test(a.url) ? `<${a.url}|${title}>` : title;
}

function citedArticles(messages: Message[]): ArticleRef[] {
  const seen = new Map<string, ArticleRef>();
  for (const m of messages) for (const a of m.articles ?? []) seen.set(a.id, a);
  return [...seen.values()].slice(0, 5);
}

function authorLabel(m: Message, customerName: string): string {
  if (m.author === 'customer') return customerName;
  if (m.author === 'agent') return m.agent?.name ?? 'Agent';
  return m.author === 'bot' ? 'Assistant' : 'Baton';
}

function statusLine(input: CardInput): string {
  const { handoff, conversation, now } = input;
  const waited = (until: string | undefined) =>
    formatDuration((until ? Date.parse(until) : now.getTime()) - Date.parse(handoff.triggeredAt));
  if (handoff.resolvedAt) {
    const csat = conversation.csat
      ? ` · CSAT ${'★'.repeat(conversation.csat.score)}${'☆'.repeat(5 - conversation.csat.score)} (${conversation.csat.score}/5)`
      : ' · awaiting rating';
    return `:white_check_mark: Resolved by <@${handoff.resolvedBy ?? 'unknown'}>${csat}`;
  }
  if (handoff.claimedBy)
    return `:raising_hand: Claimed by <@${handoff.claimedBy.slackUserId}> · customer waited ${waited(handoff.claimedAt)}`;
  return `:hourglass_flowing_sand: Waiting for an agent since ${waited(undefined)}`;
}

/** The handoff card: a pure function of stored state, rebuilt whole on every update. */
export function buildHandoffCard(input: CardInput): { text: string; blocks: Block[] } {
  const { handoff, conversation, messages } = input;
  const summary = handoff.summary;
  const customerName = conversation.customer.name?.trim() || 'Customer';
  const reason = REASON_LABELS[handoff.reason];
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`Handoff: ${reason}`, 150), emoji: true } },
    {
      type: 'section',
      fields: [
        field('Why', `${escapeMrkdwn(reason)}${handoff.detail ? ` (${escapeMrkdwn(handoff.detail)})` : ''}`),
        field('Sentiment', sentimentLabel(handoff.sentiment)),
        field(
          'Customer',
          [
            escapeMrkdwn(customerName),
            conversation.customer.email && escapeMrkdwn(conversation.customer.email),
          ]
            .filter(Boolean)
            .join('\n'),
        ),
        field(
          'Page',
          conversation.pageUrl ? `\`${escapeMrkdwn(truncate(conversation.pageUrl, 300))}\`` : '_unknown_',
        ),
      ],
    },
  ];
  if (conversation.followUpEmail) {
    blocks.push(section(`*Follow-up email:* ${escapeMrkdwn(conversation.followUpEmail)}`));
  }
  if (summary) {
    blocks.push(section(`*Summary*\n${quoteUntrusted(summary.issue, SECTION_MAX - 20)}`));
    const facts = [
      ...summary.facts.orderNumbers.map((o) => `order ${o}`),
      ...summary.facts.emails,
      ...summary.facts.phoneNumbers,
      ...summary.facts.amounts,
    ];
    if (facts.length > 0)
      blocks.push(section(`*Already told us:* ${facts.map((f) => `\`${escapeMrkdwn(f)}\``).join(' · ')}`));
    if (summary.tried.length > 0) {
      blocks.push(
        section(`*The assistant tried:*\n${summary.tried.map((t) => `• ${escapeMrkdwn(t)}`).join('\n')}`),
      );
    }
    if (summary.nextStep) blocks.push(section(`*Suggested next step:* ${escapeMrkdwn(summary.nextStep)}`));
  }
  const articles = citedArticles(messages);
  if (articles.length > 0)
    blocks.push(section(`*Suggested articles:* ${articles.map(articleLink).join(' · ')}`));

  const recent = messages.filter((m) => !m.deletedAt && m.author !== 'system').slice(-LAST_MESSAGES);
  if (recent.length > 0) {
    const perMessage = Math.floor((SECTION_MAX - 200) / recent.length);
    const lines = recent.map(
      (m) => `*${escapeMrkdwn(authorLabel(m, customerName))}:*\n${quoteUntrusted(m.text, perMessage - 40)}`,
    );
    const cut =
      messages.length > recent.length && input.transcriptUrl
        ? `\n<${input.transcriptUrl}|View the full transcript>`
        : '';
    blocks.push({ type: 'divider' }, section(`*Last messages*\n${lines.join('\n')}${cut}`));
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(statusLine(input), 3000) }] });

  const buttons: Block[] = [];
  if (!handoff.claimedBy && !handoff.resolvedAt) {
    buttons.push({
      type: 'button',
      action_id: CLAIM_ACTION,
      style: 'primary',
      text: { type: 'plain_text', text: 'Claim' },
      value: handoff.id,
    });
  }
  if (!handoff.resolvedAt) {
    buttons.push({
      type: 'button',
      action_id: RESOLVE_ACTION,
      text: { type: 'plain_text', text: 'Resolve' },
      value: handoff.id,
    });
  }
  if (buttons.length > 0)
    blocks.push({ type: 'actions', block_id: `handoff_actions_${handoff.state}`, elements: buttons });

  const text = `Handoff: ${reason}. ${escapeMrkdwn(truncate(summary?.issue ?? '', 200))}`;
  return { text, blocks };
}
