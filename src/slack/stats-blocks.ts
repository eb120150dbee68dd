import type { KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import type { DeskStats, KnowledgeGap } from '../desk/metrics.js';
import { REASON_LABELS } from '../handoff/triggers.js';
import { formatDuration } from './handoff-card.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { plainLabel, quoteUntrusted } from './untrusted-mrkdwn.js';

/**
 * Handoff stats as Block Kit: the private `/baton stats` answer and a compact App Home section.
 * Pure; every string that may come from customers (example questions, topics) is escaped.
 */

const BAR_WIDTH = 10;

/** `████████░░ 80%`; an empty bar and an em dash when there is nothing to measure. */
export function textBar(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return `${'░'.repeat(BAR_WIDTH)} —`;
  const clamped = Math.min(Math.max(share, 0), 1);
  const filled = Math.round(clamped * BAR_WIDTH);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${Math.round(clamped * 100)}%`;
}

/** `★★★★☆ 4.2 / 5`. */
export function stars(average: number | null): string {
  if (average === null) return 'no ratings yet';
  const filled = Math.min(5, Math.max(0, Math.round(average)));
  return `${'★'.repeat(filled)}${'☆'.repeat(5 - filled)} ${average.toFixed(1)} / 5`;
}

const seconds = (s: number | null) => (s === null ? '—' : formatDuration(s * 1000));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** Widened, not cast: stored reasons are plain strings, and one Baton no longer knows is shown escaped. */
const LABELS: Partial<Record<string, string>> = REASON_LABELS;
const reasonLabel = (reason: string) => LABELS[reason] ?? escapeMrkdwn(reason);
const windowName = (stats: DeskStats) => `last ${stats.window === '7d' ? '7' : '30'} days`;
const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text: truncate(text, 2000) });
const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, 3000) },
});

function figureFields(stats: DeskStats): MrkdwnElement[] {
  const { wait, resolution, csat, repeatInformation: repeats } = stats;
  return [
    mrkdwn(`*Conversations*\n${stats.conversations} (${plural(stats.handoffs, 'handoff')})`),
    mrkdwn(
      `*Handoff rate*\n\`${textBar(stats.handoffRate)}\` ${stats.handedOffConversations} of ${stats.conversations}`,
    ),
    mrkdwn(
      `*Wait for an agent*\nmedian ${seconds(wait.medianSeconds)} · p90 ${seconds(wait.p90Seconds)}\n${wait.answered} answered, ${wait.unanswered} unanswered`,
    ),
    mrkdwn(
      `*Resolved without transfer*\n\`${textBar(resolution.rate)}\` ${resolution.resolvedWithoutTransfer} of ${stats.handoffs}`,
    ),
    mrkdwn(`*CSAT after handoff*\n${stars(csat.average)} (${plural(csat.count, 'rating')})`),
    mrkdwn(
      `*Customer repeated themselves*\n\`${textBar(repeats.rate)}\` ${repeats.repeated} of ${repeats.conversations}`,
    ),
  ];
}

function reasonLines(stats: DeskStats, limit: number): string {
  const lines = stats.reasons
    .slice(0, limit)
    .map((r) => `\`${textBar(r.share)}\` ${reasonLabel(r.reason)} (${r.count})`);
  return `*Why conversations were handed off*\n${lines.join('\n') || 'No handoffs.'}`;
}

function gapText(gap: KnowledgeGap, examples: number): string {
  const quotes = gap.examples.slice(0, examples).map((q) => quoteUntrusted(q, 400));
  return [`*${plainLabel(gap.topic, 80, 'unknown')}* · ${plural(gap.handoffs, 'handoff')}`, ...quotes].join(
    '\n',
  );
}

/** The private answer to `/baton stats`. */
export function buildStatsBlocks(stats: DeskStats): { text: string; blocks: KnownBlock[] } {
  const period = `${stats.from.slice(0, 10)} → ${stats.to.slice(0, 10)} (UTC)`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `Handoff stats · ${windowName(stats)}` } },
    { type: 'context', elements: [mrkdwn(period)] },
    { type: 'section', fields: figureFields(stats) },
    section(reasonLines(stats, 10)),
    { type: 'divider' },
  ];
  if (stats.knowledgeGaps.length === 0) {
    blocks.push(section('*Knowledge gaps*\nNo low-confidence handoffs. :tada:'));
  } else {
    blocks.push(section('*Knowledge gaps*: topics the assistant could not answer, with example questions'));
    for (const gap of stats.knowledgeGaps) blocks.push(section(gapText(gap, 3)));
  }
  const rate = stats.handoffRate === null ? 'no conversations' : `${Math.round(stats.handoffRate * 100)}%`;
  return {
    text: `Handoff stats, ${windowName(stats)}: ${plural(stats.handoffs, 'handoff')}, handoff rate ${rate}`,
    blocks: blocks.slice(0, 50),
  };
}

/** A compact stats section for the App Home, meant to sit below other home content. */
export function buildStatsHomeSection(stats: DeskStats): KnownBlock[] {
  const gaps = stats.knowledgeGaps.slice(0, 3).map((gap) => gapText(gap, 1));
  return [
    { type: 'header', text: { type: 'plain_text', text: `Handoffs · ${windowName(stats)}` } },
    { type: 'section', fields: figureFields(stats) },
    section(reasonLines(stats, 3)),
    section(`*Top knowledge gaps*\n${gaps.join('\n') || 'None. :tada:'}`),
    { type: 'context', elements: [mrkdwn('Details: `/baton stats`')] },
  ];
}
