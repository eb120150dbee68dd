import { beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../conversation/conversation.js';
import type { DeskStats } from '../desk/metrics.js';
import type { Handoff } from '../handoff/handoff.js';
import { buildSuggestionBlocks } from './copilot-blocks.js';
import { buildHandoffCard } from './handoff-card.js';
import { liveRowText } from './listeners/app-home.js';
import { customerLineText, noticeText } from './outbox-renderer.js';
import { buildStatsBlocks } from './stats-blocks.js';

/**
 * Every customer-controlled field Baton shows in Slack × every way to forge a line, rendered through
 * the real builders and read the way Slack would (the local workspace's mrkdwn parser). Each hostile
 * rendering is compared with the same field holding a harmless value: the attacker may change the
 * words, never the shape (Baton's lines, labels, code spans, quotes, mentions, links).
 */

// ---------- the fields ----------

const at = '2026-11-21T12:00:00Z';
const conversation: Conversation = {
  id: 'c_1',
  status: 'waiting',
  customer: { name: 'Jamie', email: 'jamie@example.com' },
  pageUrl: 'https://shop.example/checkout',
  followUpEmail: 'pat@example.com',
  metadata: {},
  lastSeq: 1,
  createdAt: at,
  updatedAt: at,
  version: 0,
};
const handoff: Handoff = {
  id: 'h_1',
  conversationId: 'c_1',
  reason: 'requested',
  detail: 'asked for a person',
  summary: {
    issue: 'Customer asked: "where is my order"',
    facts: { orderNumbers: ['#NW-1'], emails: [], phoneNumbers: [], amounts: [] },
    tried: ['Answered from the article “Shipping”'],
    nextStep: 'Check the order',
  },
  sentiment: 0,
  channel: 'C1',
  cardState: 'posted',
  triggeredAt: at,
  card: { channel: 'C1', ts: '1.1' },
  escalationLevel: 0,
  transferred: false,
  assignedTo: ['U0DANA'],
};
const message = (text: string): Message => ({
  id: 'm1',
  conversationId: 'c_1',
  seq: 1,
  author: 'customer',
  text,
  createdAt: '2026-11-21T11:59:00Z',
});
const resolved = { ...handoff, resolvedAt: at, resolvedBy: 'U0DANA' };

type Rendered = string | string[] | { text: string; blocks?: unknown };
type Container = 'line' | 'code' | 'quote';
interface Field {
  name: string;
  /** How Baton shows it: one line, one line in a code span, or quoted line by line. */
  container: Container;
  /** Shown inside Baton's “…”. */
  inQuotes?: boolean;
  render(value: string): Rendered;
}

const card = (c: Partial<Conversation>, h: Partial<Handoff> = {}, text = 'hello') =>
  buildHandoffCard({
    handoff: { ...handoff, ...h },
    conversation: { ...conversation, ...c },
    messages: [message(text)],
    now: new Date(at),
  });
const summary = (s: Partial<NonNullable<Handoff['summary']>>) =>
  card({}, { summary: { ...handoff.summary!, ...s } });
const gaps = (topic: string, example: string): DeskStats['knowledgeGaps'] => [
  { topic, handoffs: 1, examples: [example] },
];
const stats = (knowledgeGaps: DeskStats['knowledgeGaps']): DeskStats => ({
  window: '7d',
  from: at,
  to: at,
  conversations: 1,
  handedOffConversations: 1,
  handoffRate: 1,
  handoffs: 1,
  reasons: [{ reason: 'requested', count: 1, share: 1 }],
  wait: { answered: 1, unanswered: 0, medianSeconds: 10, p90Seconds: 10 },
  resolution: { resolvedWithoutTransfer: 1, rate: 1 },
  csat: { average: 4, count: 1 },
  repeatInformation: { conversations: 1, repeated: 0, rate: 0 },
  knowledgeGaps,
});

const FIELDS: Field[] = [
  { name: 'customer name (card)', container: 'line', render: (v) => card({ customer: { name: v } }) },
  { name: 'email (card)', container: 'line', render: (v) => card({ customer: { name: 'Jo', email: v } }) },
  { name: 'page URL (card)', container: 'code', render: (v) => card({ pageUrl: v }) },
  { name: 'follow-up email (card)', container: 'line', render: (v) => card({ followUpEmail: v }) },
  { name: 'message text (card)', container: 'quote', render: (v) => card({}, {}, v) },
  { name: 'summary (card)', container: 'quote', render: (v) => mrkdwnIn(summary({ issue: v }).blocks) },
  { name: 'summary (notification)', container: 'line', render: (v) => [summary({ issue: v }).text] },
  {
    name: 'order number (card)',
    container: 'code',
    render: (v) => summary({ facts: { ...handoff.summary!.facts, orderNumbers: [v] } }),
  },
  { name: 'what was tried (card)', container: 'line', render: (v) => summary({ tried: [v] }) },
  { name: 'next step (card)', container: 'line', render: (v) => summary({ nextStep: v }) },
  { name: 'why (card)', container: 'line', render: (v) => card({}, { detail: v }) },
  {
    name: 'CSAT comment (card)',
    container: 'line',
    inQuotes: true,
    render: (v) => card({ status: 'resolved', csat: { score: 2, comment: v } }, resolved),
  },
  {
    name: 'CSAT comment (rated notice)',
    container: 'quote',
    render: (v) => noticeText({ notice: 'rated', score: 2, comment: v }),
  },
  { name: 'customer name (thread)', container: 'line', render: (v) => customerLineText(v, 'hello') },
  { name: 'message text (thread)', container: 'quote', render: (v) => customerLineText('Jamie', v) },
  {
    name: 'sent suggestion (thread)',
    container: 'quote',
    render: (v) => noticeText({ notice: 'agent_sent', by: 'Dana', text: v }),
  },
  {
    name: 'copilot suggestion (DM)',
    container: 'quote',
    render: (v) =>
      buildSuggestionBlocks({
        id: 's1',
        handoffId: 'h_1',
        agentSlackId: 'U0DANA',
        text: v,
        articles: [],
        state: 'offered',
      }),
  },
  {
    name: 'gap topic (stats)',
    container: 'line',
    render: (v) => buildStatsBlocks(stats(gaps(v, 'a question'))),
  },
  {
    name: 'gap question (stats)',
    container: 'quote',
    render: (v) => buildStatsBlocks(stats(gaps('billing', v))),
  },
  {
    name: 'customer name (App Home)',
    container: 'line',
    render: (v) => liveRowText({ customerName: v, messages: 2 }),
  },
  {
    name: 'latest message (App Home)',
    container: 'line',
    render: (v) => liveRowText({ customerName: 'Jamie', messages: 2, latest: { text: v } }),
  },
];

// ---------- the attacks ----------

/** Each holds VIP and ends with END, within every field's length limit: the whole value must show. */
const ATTACKS: { name: string; value: string }[] = [
  { name: 'newline forging a label line', value: 'x\n*Customer* VERIFIED VIP END' },
  { name: 'CR, U+2028, U+2029, VT, FF, NEL', value: 'x\r*A* 1\u2028*B* 2\u2029*C*\v\f\u0085*VIP* END' },
  { name: 'backtick closing a code span', value: 'x`\n*Customer* VERIFIED VIP\n` END' },
  { name: 'code block', value: '```\n*Customer* VIP\n``` END' },
  { name: 'closing quote', value: 'ok”\n*Note from Alex* Refund ok: https://evil.example “VIP END' },
  { name: 'formatting at the start', value: '*VERIFIED* _VIP_ ~x~ `y` END' },
  { name: 'quote at the start', value: '> *Customer* VERIFIED VIP\n>>> END' },
  { name: 'pings', value: '<!channel><!here><!everyone><@U0EVIL><#C0EVIL><!subteam^S1> VIP END' },
  { name: 'link forgery', value: '<https://evil.example|Refund approved><mailto:a@x.io|Dana> VIP END' },
  { name: 'RTL override', value: 'VIP \u202Edevorppa dnufeR\u202C \u2066x\u2069\u200F\u200E\u061C END' },
  { name: 'NUL, BEL, ESC, DEL, C1', value: 'VIP \u0000\u0007\u001b[31m red\u007f\u009b END' },
];
const BENIGN = 'VIP END';

// ---------- reading it as Slack would ----------

type Token = { type: string; text?: string; url?: string; id?: string; name?: string; children?: Token[] };
let parse: (text: string) => Token[];

beforeAll(async () => {
  // A browser ES module with no build step; it is pure, so Node can import it too.
  const url = new URL('../sandbox/ui/assets/mrkdwn.js', import.meta.url).href;
  ({ parseMrkdwn: parse } = (await import(/* @vite-ignore */ url)) as { parseMrkdwn: typeof parse });
});

/** Every mrkdwn text in a Block Kit tree (plain_text is never parsed). */
function mrkdwnIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnIn);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  if (o.type === 'mrkdwn' && typeof o.text === 'string') return [o.text];
  return Object.values(o).flatMap(mrkdwnIn);
}

/** A message's `text` is mrkdwn too (and what notifications show). */
function texts(r: Rendered): string[] {
  if (typeof r === 'string') return [r];
  return Array.isArray(r) ? r : [r.text, ...mrkdwnIn(r.blocks)];
}

/** The formatting a reader sees, without the words: labels, spans, quotes, mentions, links. */
function shape(tokens: Token[]): string[] {
  return tokens.flatMap((t) => {
    if (t.type === 'text' || t.type === 'br') return [];
    const self = [t.type, t.id, t.url, t.name].filter(Boolean).join(':');
    return [self, ...shape(t.children ?? [])];
  });
}

const codeSpans = (tokens: Token[]): Token[] =>
  tokens.flatMap((t) => (t.type === 'code' ? [t] : codeSpans(t.children ?? [])));
const lines = (all: string[]) => all.flatMap((t) => t.split('\n'));
const unquoted = (all: string[]) => lines(all).filter((l) => !l.startsWith('>'));
const count = (all: string[], chars: RegExp) => all.join('').replace(chars, '').length;

/** Line breaks other than \n, control characters (tab aside) and bidirectional formatting. */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

describe('customer-controlled fields in Slack', () => {
  const cases = FIELDS.flatMap((field) => ATTACKS.map((attack) => ({ field, attack })));

  it.each(cases)('$field.name: $attack.name', ({ field, attack }) => {
    const benign = texts(field.render(BENIGN));
    const hostile = texts(field.render(attack.value));
    // The field really is there: a fixture that dropped it would prove nothing.
    expect(benign.join('\n')).toContain('VIP END');
    expect(hostile.join('\n')).toContain('VIP');
    // (e) No control or bidi character, no line break but \n.
    for (const text of hostile) expect(text).not.toMatch(FORBIDDEN);
    // (d) Not one < from the customer: no ping, channel, user group or link with chosen words.
    expect(count(hostile, /[^<]/g)).toBe(count(benign, /[^<]/g));
    // (c) and (d) as Slack reads it: no label, bold, code span, quote, mention or link added or lost.
    expect(hostile.map((t) => shape(parse(t)))).toEqual(benign.map((t) => shape(parse(t))));
    if (field.container === 'quote') {
      // Lines may be added, but only inside the quote: every line Baton wrote is as it was.
      expect(unquoted(hostile)).toEqual(unquoted(benign));
    } else {
      // (a) A one-line field stays on one line.
      expect(lines(hostile)).toHaveLength(lines(benign).length);
    }
    if (field.container === 'code') {
      // (b) The span holds the whole value: nothing in it closed it early.
      const spans = hostile.flatMap((t) => codeSpans(parse(t))).filter((c) => c.text?.includes('VIP'));
      expect(spans).toHaveLength(1);
      expect(spans[0]!.text).toMatch(/END$/);
    }
    // (b) A value inside Baton's “…” cannot end it early.
    if (field.inQuotes) expect(count(hostile, /[^"“”]/g)).toBe(count(benign, /[^"“”]/g));
  });

  it('shows a bare URL the customer typed, but never as a link with words the customer chose', () => {
    const [text] = texts(
      customerLineText('Jamie', 'see https://evil.example/a or <https://evil.example|Refund>'),
    );
    expect(text).toContain('https://evil.example/a');
    expect(shape(parse(text!))).toEqual(['bold', 'quote']);
  });
});
