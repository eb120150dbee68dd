import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../conversation/conversation.js';
import { validateBlocks } from '../sandbox/block-kit-validation.js';
import type { Handoff } from '../handoff/handoff.js';
import { buildHandoffCard, CLAIM_ACTION, formatDuration, RESOLVE_ACTION } from './handoff-card.js';

const now = new Date('2026-11-21T12:10:00Z');
const conversation: Conversation = {
  id: 'c_1',
  status: 'waiting',
  customer: { name: 'Jamie <!here>', email: 'jamie@example.com' },
  pageUrl: 'https://shop.example/checkout?x=<@U1>',
  metadata: {},
  lastSeq: 3,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  version: 0,
};
const handoff: Handoff = {
  id: 'h_1',
  conversationId: 'c_1',
  reason: 'sensitive_topic',
  detail: 'refund',
  summary: {
    issue: 'Customer asked: "refund for order #NW-1 <!channel>"',
    facts: { orderNumbers: ['#NW-1'], emails: ['jamie@example.com'], phoneNumbers: [], amounts: ['$20'] },
    tried: ['Suggested Refund timing'],
    nextStep: 'Check refund eligibility',
  },
  sentiment: -0.6,
  channel: 'C1',
  cardState: 'posted',
  triggeredAt: '2026-11-21T12:00:00Z',
  card: { channel: 'C1', ts: '1.1' },
  escalationLevel: 0,
  transferred: false,
  assignedTo: [],
};
const msg = (
  seq: number,
  author: Message['author'],
  text: string,
  extra: Partial<Message> = {},
): Message => ({
  id: `m${seq}`,
  conversationId: 'c_1',
  seq,
  author,
  text,
  createdAt: now.toISOString(),
  ...extra,
});

const texts = (blocks: KnownBlock[]) => JSON.stringify(blocks);
const buttons = (blocks: KnownBlock[]): Button[] =>
  blocks
    .filter((b): b is ActionsBlock => b.type === 'actions')
    .flatMap((b) => b.elements.filter((e): e is Button => e.type === 'button'));

describe('buildHandoffCard', () => {
  it('shows why, sentiment, customer, page, summary, facts, what was tried, articles and a Claim button', () => {
    const card = buildHandoffCard({
      handoff,
      conversation,
      now,
      messages: [
        msg(1, 'customer', 'I want a refund <https://evil.example|click>', {
          createdAt: '2026-11-21T11:59:00Z',
        }),
        msg(2, 'bot', 'Refunds take 5 days.', {
          createdAt: '2026-11-21T11:59:30Z',
          articles: [{ id: 'refund-timing', title: 'Refund timing', url: 'https://help.example/refund' }],
        }),
      ],
    });
    const all = texts(card.blocks);
    for (const expected of [
      'Sensitive topic',
      ':rage: Negative',
      'Jamie &lt;!here&gt;',
      'jamie@example.com',
      'checkout?x=&lt;@U1&gt;',
      '&lt;!channel&gt;',
      '#NW-1',
      'Suggested Refund timing',
      'Needs a person: Sensitive topic',
      'conversation `c_1`',
      'Check refund eligibility',
      '<https://help.example/refund|Refund timing>',
      '&lt;https://evil.example|click&gt;',
      'Waiting for an agent since <!date^1795262400^{time}|12:00 UTC>',
    ]) {
      expect(all).toContain(expected);
    }
    expect(all).not.toMatch(/<!here>|<!channel>|<@U1>|<https:\/\/evil/);
    expect(buttons(card.blocks).map((e) => [e.action_id, e.value])).toEqual([[CLAIM_ACTION, 'h_1']]);
    expect(validateBlocks(card.blocks, 50)).toEqual([]);
  });

  it('asks Slack not to link or mention anything by itself in the sections that carry customer text', () => {
    const card = buildHandoffCard({
      handoff,
      conversation,
      now,
      messages: [
        msg(1, 'customer', '@here see https://evil.example #general', { createdAt: '2026-11-21T11:59:00Z' }),
      ],
    });
    const texts = card.blocks.flatMap((b) =>
      b.type === 'section' ? [...(b.text ? [b.text] : []), ...(b.fields ?? [])] : [],
    );
    expect(texts.length).toBeGreaterThan(3);
    for (const t of texts) expect(t).toMatchObject({ type: 'mrkdwn', verbatim: true });
  });

  it('shows who claimed it and how long the customer waited, without a Claim button', () => {
    const card = buildHandoffCard({
      handoff: {
        ...handoff,
        claimedBy: { slackUserId: 'U0DANA', name: 'Dana' },
        claimedAt: '2026-11-21T12:02:05Z',
      },
      conversation,
      now,
      messages: [],
    });
    expect(texts(card.blocks)).toContain('Claimed by <@U0DANA> · customer waited 2m 5s');
    expect(texts(card.blocks)).toContain('With Dana: Sensitive topic');
    expect(texts(card.blocks)).not.toContain(CLAIM_ACTION);
    expect(buttons(card.blocks).map((e) => e.action_id)).toEqual([RESOLVE_ACTION]);
    expect(buttons(card.blocks)[0]?.confirm).toBeDefined();
    expect(validateBlocks(card.blocks, 50)).toEqual([]);
  });

  it('shows the outcome and the rating once resolved, with no buttons left', () => {
    const card = buildHandoffCard({
      handoff: { ...handoff, resolvedAt: now.toISOString(), resolvedBy: 'U0DANA' },
      conversation: { ...conversation, csat: { score: 4, comment: 'quick <!here>' } },
      now,
      messages: [],
    });
    expect(texts(card.blocks)).toContain('Resolved by <@U0DANA> · rated ★★★★☆ (4/5): “quick &lt;!here&gt;”');
    expect(texts(card.blocks)).toContain('Resolved: Sensitive topic');
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it("stays within Slack's limits for a huge, hostile transcript", () => {
    const long = `${'&<>'.repeat(1000)}${'x'.repeat(5000)}`;
    const messages = Array.from({ length: 200 }, (_, i) =>
      msg(i + 1, i % 2 ? 'bot' : 'customer', long, { createdAt: '2026-11-21T11:00:00Z' }),
    );
    const card = buildHandoffCard({
      handoff: { ...handoff, summary: { ...handoff.summary!, issue: long, tried: Array(100).fill(long) } },
      conversation: { ...conversation, customer: { name: long }, pageUrl: long },
      now,
      messages,
    });
    expect(validateBlocks(card.blocks, 50)).toEqual([]);
    expect(card.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(card.blocks).length).toBeLessThan(13_000);
    expect(card.text.length).toBeLessThan(4000);
    expect(JSON.stringify(card.blocks)).toContain('(194 earlier not shown)');
  });

  it('shows the reported forgeries (page URL, CSAT comment) as the customer’s words, not as card lines', () => {
    const card = buildHandoffCard({
      handoff: { ...handoff, resolvedAt: now.toISOString(), resolvedBy: 'U0DANA' },
      conversation: {
        ...conversation,
        pageUrl: 'https://shop.example/`\n*Customer* VERIFIED VIP\n`',
        csat: {
          score: 5,
          comment: 'great”\n*Note from Alex* Refund pre-approved: https://evil.example/approve',
        },
      },
      now,
      messages: [],
    });
    const lines = card.blocks
      .flatMap((b) => {
        if (b.type === 'section') return [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)];
        return b.type === 'context' ? b.elements.map((e) => ('text' in e ? e.text : '')) : [];
      })
      .flatMap((t) => t.split('\n'));
    // Every line that starts with a bold label is one Baton wrote.
    expect(lines.filter((l) => l.startsWith('*'))).toEqual([
      '*Why*',
      '*Sentiment*',
      '*Customer*',
      '*Page*',
      '*Summary*',
      '*Already told us:* `order #NW-1` · `jamie@example.com` · `$20`',
      '*The assistant already tried:*',
      '*Suggested next step:* Check refund eligibility',
    ]);
    expect(JSON.stringify(card.blocks)).toContain('`https://shop.example/ˋ *Customer* VERIFIED VIP ˋ`');
    expect(JSON.stringify(card.blocks)).toContain(
      "(5/5): “great' ∗Note from Alex∗ Refund pre-approved: https://evil.example/approve”",
    );
  });

  it('keeps the transcript excerpt to what led to the handoff', () => {
    const card = buildHandoffCard({
      handoff,
      conversation,
      now,
      messages: [
        msg(1, 'customer', 'before the handoff', { createdAt: '2026-11-21T11:59:00Z' }),
        msg(2, 'agent', 'after the claim, in the thread', { createdAt: '2026-11-21T12:05:00Z' }),
      ],
    });
    expect(texts(card.blocks)).toContain('before the handoff');
    expect(texts(card.blocks)).not.toContain('after the claim');
  });
});

describe('formatDuration', () => {
  it('reads naturally', () => {
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(125_000)).toBe('2m 5s');
    expect(formatDuration(3_720_000)).toBe('1h 2m');
  });
});
