import type { Button, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import type { ArticleRef } from '../conversation/assistant.js';
import type { Conversation, Message } from '../conversation/conversation.js';
import { REASON_LABELS } from '../handoff/triggers.js';
import type { Handoff } from '../handoff/handoff.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import {
  codeUntrusted,
  inlineUntrusted,
  plainLabel,
  quotedInline,
  quoteUntrusted,
} from './untrusted-mrkdwn.js';

export const CLAIM_ACTION = 'baton_claim';
/** Shows the clicking agent, privately and audited, what was masked (value: `h:<handoff id>` or `m:<message id>`). */
export const REVEAL_ACTION = 'baton_reveal';
export const RESOLVE_ACTION = 'baton_resolve';
/** Budget for the transcript excerpt: Slack rejects messages well under 50 blocks × 3,000 characters. */
const TRANSCRIPT_MAX = 2400;
const LAST_MESSAGES = 6;

export interface CardInput {
  handoff: Handoff;
  conversation: Conversation;
  messages: Message[];
  now: Date;
  /** Personal data was masked on this card: it offers a Reveal button. */
  revealable?: boolean;
}

export function sentimentLabel(score: number | undefined): string {
  if (score === undefined) return 'Unknown';
  if (score <= -0.5) return ':rage: Negative';
  if (score < -0.1) return ':slightly_frowning_face: Slightly negative';
  if (score < 0.1) return ':neutral_face: Neutral';
  return ':slightly_smiling_face: Positive';
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** Slack renders this in each reader's own time zone, so the card never goes stale. */
function slackTime(iso: string): string {
  const unix = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${unix}^{time}|${iso.slice(11, 16)} UTC>`;
}

// verbatim: Slack would otherwise link bare URLs, channel names and some @-mentions in customer text
// by itself; Baton's own <!here> and <@U…> still work, they are explicit.
const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, 3000), verbatim: true },
});
const field = (label: string, value: string): MrkdwnElement => ({
  type: 'mrkdwn',
  text: truncate(`*${label}*\n${value}`, 2000),
  verbatim: true,
});

function articleLink(a: ArticleRef): string {
  const title = escapeMrkdwn(truncate(a.title, 150));
  // Only http(s) URLs from our own knowledge base become links; titles are escaped like any text.
  return a.url && /^https?:\/\/[^\s|<>]+$/.test(a.url) ? `<${a.url}|${title}>` : title;
}

function authorLabel(m: Message, customerName: string): string {
  if (m.author === 'customer') return customerName;
  if (m.author === 'agent') return m.agent?.name ?? 'Agent';
  return m.author === 'bot' ? 'Assistant' : 'Baton';
}

function header(input: CardInput, reason: string): string {
  const { handoff } = input;
  if (handoff.resolvedAt) return `${handoff.transferred ? 'Transferred' : 'Resolved'}: ${reason}`;
  if (handoff.claimedBy) return `With ${handoff.claimedBy.name}: ${reason}`;
  return input.conversation.status === 'queued'
    ? `Offline follow-up: ${reason}`
    : `Needs a person: ${reason}`;
}

function statusLine(input: CardInput): string {
  const { handoff, conversation } = input;
  const waited = (until: string) => formatDuration(Date.parse(until) - Date.parse(handoff.triggeredAt));
  if (handoff.resolvedAt) {
    const csat = conversation.csat;
    const rating = csat
      ? ` · rated ${'★'.repeat(csat.score)}${'☆'.repeat(5 - csat.score)} (${csat.score}/5)${csat.comment ? `: ${quotedInline(csat.comment, 300)}` : ''}`
      : ' · awaiting rating';
    return `:white_check_mark: Resolved by <@${handoff.resolvedBy ?? 'unknown'}>${rating}`;
  }
  if (handoff.claimedBy && handoff.claimedAt) {
    return `:raising_hand: Claimed by <@${handoff.claimedBy.slackUserId}> · customer waited ${waited(handoff.claimedAt)}`;
  }
  if (conversation.status === 'queued') {
    return `:mailbox: Offline follow-up: no agent was available at ${slackTime(handoff.triggeredAt)}${conversation.followUpEmail ? '' : ' · no email left yet'}`;
  }
  const who =
    handoff.assignedTo.length === 1
      ? ` · routed to <@${handoff.assignedTo[0]}>`
      : handoff.assignedTo.length > 1
        ? ` · notified ${handoff.assignedTo.map((id) => `<@${id}>`).join(' ')}`
        : '';
  const escalated = handoff.escalationLevel > 0 ? ' · :rotating_light: escalated' : '';
  return `:hourglass_flowing_sand: Waiting for an agent since ${slackTime(handoff.triggeredAt)}${who}${escalated}`;
}

function transcript(messages: Message[], triggeredAt: string, customerName: string): string | undefined {
  // What led to the handoff; the conversation after it lives in the thread.
  const before = messages.filter((m) => !m.deletedAt && m.author !== 'system' && m.createdAt <= triggeredAt);
  const recent = before.slice(-LAST_MESSAGES);
  if (recent.length === 0) return undefined;
  const per = Math.floor(TRANSCRIPT_MAX / recent.length) - 40;
  const lines = recent.map(
    (m) =>
      `*${m.author === 'customer' ? customerName : plainLabel(authorLabel(m, customerName), 60)}:*\n${quoteUntrusted(m.text, per)}`,
  );
  const earlier = before.length - recent.length;
  return `*Last messages*${earlier > 0 ? ` (${earlier} earlier not shown)` : ''}\n${lines.join('\n')}`;
}

/** The handoff card: a pure function of stored state, rebuilt whole on every update. */
export function buildHandoffCard(input: CardInput): { text: string; blocks: KnownBlock[] } {
  const { handoff, conversation, messages } = input;
  const summary = handoff.summary;
  const customerName = plainLabel(conversation.customer.name ?? '');
  const reason = REASON_LABELS[handoff.reason];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(header(input, reason), 150), emoji: true } },
    {
      type: 'section',
      fields: [
        field('Why', inlineUntrusted(handoff.detail || reason, 300)),
        field('Sentiment', sentimentLabel(handoff.sentiment)),
        field(
          'Customer',
          [customerName, conversation.customer.email && inlineUntrusted(conversation.customer.email, 254)]
            .filter(Boolean)
            .join('\n'),
        ),
        field('Page', conversation.pageUrl ? `\`${codeUntrusted(conversation.pageUrl, 300)}\`` : '_unknown_'),
      ],
    },
  ];
  if (conversation.followUpEmail) {
    blocks.push(section(`*Follow up by email:* ${inlineUntrusted(conversation.followUpEmail, 254)}`));
  }
  if (summary) {
    blocks.push(section(`*Summary*\n${quoteUntrusted(truncate(summary.issue, 600), 800)}`));
    const facts = [
      ...summary.facts.orderNumbers.map((o) => `order ${o}`),
      ...summary.facts.emails,
      ...summary.facts.phoneNumbers,
      ...summary.facts.amounts,
    ].slice(0, 12);
    if (facts.length > 0) {
      blocks.push(
        section(`*Already told us:* ${facts.map((f) => `\`${codeUntrusted(f, 80)}\``).join(' · ')}`),
      );
    }
    if (summary.tried.length > 0) {
      const tried = summary.tried.slice(0, 5).map((t) => `• ${inlineUntrusted(t, 160)}`);
      blocks.push(section(`*The assistant already tried:*\n${tried.join('\n')}`));
    }
    if (summary.nextStep)
      blocks.push(section(`*Suggested next step:* ${inlineUntrusted(summary.nextStep, 300)}`));
  }
  const articles = new Map<string, ArticleRef>();
  for (const m of messages) for (const a of m.articles ?? []) articles.set(a.id, a);
  if (articles.size > 0) {
    blocks.push(
      section(`*Suggested articles:* ${[...articles.values()].slice(0, 5).map(articleLink).join(' · ')}`),
    );
  }
  const excerpt = transcript(messages, handoff.triggeredAt, customerName);
  if (excerpt) blocks.push({ type: 'divider' }, section(excerpt));
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: truncate(`${statusLine(input)} · conversation \`${conversation.id}\``, 3000) },
    ],
  });

  if (!handoff.resolvedAt) {
    const button: Button = handoff.claimedBy
      ? {
          type: 'button',
          action_id: RESOLVE_ACTION,
          text: { type: 'plain_text', text: 'Resolve' },
          value: handoff.id,
          confirm: {
            title: { type: 'plain_text', text: 'Resolve this conversation?' },
            text: { type: 'plain_text', text: 'The customer will be asked to rate the chat.' },
            confirm: { type: 'plain_text', text: 'Resolve' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        }
      : {
          type: 'button',
          action_id: CLAIM_ACTION,
          style: 'primary',
          text: { type: 'plain_text', text: 'Claim' },
          value: handoff.id,
        };
    blocks.push({
      type: 'actions',
      block_id: `handoff_actions_${handoff.claimedBy ? 'claimed' : 'open'}`,
      elements: [button],
    });
  }

  if (input.revealable)
    blocks.push({
      type: 'actions',
      block_id: 'handoff_reveal',
      elements: [
        {
          type: 'button',
          action_id: REVEAL_ACTION,
          text: { type: 'plain_text', text: 'Reveal masked details' },
          value: `h:${handoff.id}`,
        },
      ],
    });

  // Mentions in the fallback text are what makes Slack notify the routed agents.
  const notify =
    !handoff.claimedBy && !handoff.resolvedAt ? handoff.assignedTo.map((id) => `<@${id}> `).join('') : '';
  // The notification preview quotes the customer too: one line, like every field.
  const text = `${notify}${header(input, reason)}. ${inlineUntrusted(summary?.issue ?? '', 200)}`;
  return { text, blocks };
}
