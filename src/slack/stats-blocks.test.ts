import { describe, expect, it } from 'vitest';
import type { DeskStats } from '../desk/metrics.js';
import { validateBlocks } from '../sandbox/block-kit-validation.js';
import { buildStatsBlocks, buildStatsHomeSection, stars, textBar } from './stats-blocks.js';

const stats: DeskStats = {
  window: '7d',
  from: '2026-11-24T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
  conversations: 10,
  handedOffConversations: 4,
  handoffRate: 0.4,
  handoffs: 4,
  reasons: [
    { reason: 'low_confidence', count: 2, share: 0.5 },
    { reason: 'requested', count: 1, share: 0.25 },
    { reason: 'negative_sentiment', count: 1, share: 0.25 },
  ],
  wait: { answered: 3, unanswered: 1, medianSeconds: 130, p90Seconds: 264.4 },
  resolution: { resolvedWithoutTransfer: 1, rate: 0.25 },
  csat: { average: 3.6, count: 3 },
  repeatInformation: { conversations: 3, repeated: 2, rate: 2 / 3 },
  knowledgeGaps: [
    {
      topic: 'billing <!channel>',
      handoffs: 2,
      examples: ['Why <!here> was I charged & billed twice?', 'See <https://evil.example|your invoice>'],
    },
    { topic: 'unknown', handoffs: 1, examples: ['Can I export my invoices to CSV?'] },
  ],
};

const empty: DeskStats = {
  ...stats,
  window: '30d',
  conversations: 0,
  handedOffConversations: 0,
  handoffRate: null,
  handoffs: 0,
  reasons: [],
  wait: { answered: 0, unanswered: 0, medianSeconds: null, p90Seconds: null },
  resolution: { resolvedWithoutTransfer: 0, rate: null },
  csat: { average: null, count: 0 },
  repeatInformation: { conversations: 0, repeated: 0, rate: null },
  knowledgeGaps: [],
};

const allText = (blocks: unknown) => JSON.stringify(blocks);

describe('text helpers', () => {
  it('draws ten-cell bars and star ratings', () => {
    expect(textBar(0.8)).toBe('████████░░ 80%');
    expect(textBar(0)).toBe('░░░░░░░░░░ 0%');
    expect(textBar(1.4)).toBe('██████████ 100%');
    expect(textBar(null)).toBe('░░░░░░░░░░ —');
    expect(stars(3.6)).toBe('★★★★☆ 3.6 / 5');
    expect(stars(null)).toBe('no ratings yet');
  });
});

describe('buildStatsBlocks', () => {
  it('shows every figure in valid Block Kit', () => {
    const { text, blocks } = buildStatsBlocks(stats);
    expect(validateBlocks(blocks, 50)).toEqual([]);
    expect(text).toBe('Handoff stats, last 7 days: 4 handoffs, handoff rate 40%');
    const all = allText(blocks);
    expect(all).toContain('████░░░░░░ 40%');
    expect(all).toContain('median 2m 10s · p90 4m 24s');
    expect(all).toContain('3 answered, 1 unanswered');
    expect(all).toContain('★★★★☆ 3.6 / 5 (3 ratings)');
    expect(all).toContain('███████░░░ 67%');
    expect(all).toContain('█████░░░░░ 50%` The assistant was not confident (2)');
    expect(all).toContain('>Can I export my invoices to CSV?');
  });

  it('escapes customer text so it cannot ping or link', () => {
    const all = allText(buildStatsBlocks(stats).blocks) + allText(buildStatsHomeSection(stats));
    expect(all).not.toMatch(/<!|<https/);
    expect(all).toContain('&lt;!here&gt; was I charged &amp; billed twice?');
    expect(all).toContain('billing &lt;!channel&gt;');
  });

  it('stays within Slack limits for the largest possible stats', () => {
    const huge: DeskStats = {
      ...stats,
      knowledgeGaps: Array.from({ length: 5 }, (_, i) => ({
        topic: `${'&'.repeat(150)}${i}`,
        handoffs: 100,
        examples: Array.from({ length: 3 }, () => `${'<&>'.repeat(46)}…`),
      })),
    };
    for (const blocks of [buildStatsBlocks(huge).blocks, buildStatsHomeSection(huge)]) {
      expect(validateBlocks(blocks, 50)).toEqual([]);
    }
  });

  it('reads sensibly when there is nothing to report', () => {
    const { text, blocks } = buildStatsBlocks(empty);
    expect(validateBlocks(blocks, 50)).toEqual([]);
    expect(text).toBe('Handoff stats, last 30 days: 0 handoffs, handoff rate no conversations');
    const all = allText(blocks);
    expect(all).toContain('median — · p90 —');
    expect(all).toContain('No handoffs.');
    expect(all).toContain('No low-confidence handoffs.');
  });
});

describe('buildStatsHomeSection', () => {
  it('is a compact, valid section with the top gap examples', () => {
    const blocks = buildStatsHomeSection(stats);
    expect(validateBlocks(blocks, 100)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(6);
    expect(allText(blocks)).toContain('Handoffs · last 7 days');
    expect(allText(blocks)).toContain('*unknown* · 1 handoff');
    expect(allText(buildStatsHomeSection(empty))).toContain('None. :tada:');
  });
});
