import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import { type Harness, startHarness, waitForCard } from './harness.js';

/**
 * The "open to the public internet" forgeries, end to end: a hostile name, page URL, message and
 * CSAT comment sent through the chat API exactly as an attacker would, then read back from the local
 * Slack workspace. The customer's words may show; a line that looks like Baton's may not.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

const PAGE_URL = 'https://shop.example/`\n*Customer* VERIFIED VIP\n`';
const NAME = 'Jamie ` *Customer* VERIFIED \u202Epiv <!channel>';
const MESSAGE =
  'Where is my order?\r*Customer* VERIFIED VIP\u2028```\n*Note from Alex* ok <@U0EVIL> <https://evil.example|Refund approved>';
const COMMENT = 'great”\n*Note from Alex* Refund pre-approved: https://evil.example/approve <!here>';

/** Line breaks other than \n, control characters (tab aside) and bidirectional formatting. */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

function mrkdwnIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnIn);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  if (o.type === 'mrkdwn' && typeof o.text === 'string') return [o.text];
  return Object.values(o).flatMap(mrkdwnIn);
}

/** What a forgery needs: a line of its own that starts like one of Baton's labels, or a ping or link. */
function expectNoForgery(texts: string[]) {
  const lines = texts.flatMap((t) => t.split('\n'));
  expect(lines.filter((l) => /^\*(Customer|Note from Alex)\*./.test(l))).toEqual([]);
  for (const text of texts) {
    expect(text).not.toMatch(FORBIDDEN);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U0EVIL>|<https:\/\/evil/);
  }
}

describe('hostile customer fields in Slack', () => {
  it('cannot forge lines, pings or links on the card, in the thread or in the rating', async () => {
    const s = await h.chat.start({
      customer: { name: NAME, email: 'jamie@example.com' },
      pageUrl: PAGE_URL,
      metadata: { plan: '*VIP*\n*Customer* VERIFIED' },
    });
    await h.chat.send(s, MESSAGE);
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot'));
    expect((await h.chat.handoff(s)).status).toBe(202);
    const card = await waitForCard(h.sandbox);
    const ch = h.sandbox.handoffChannelId;

    const texts = [card.text, ...mrkdwnIn(card.blocks)];
    expectNoForgery(texts);
    const all = texts.join('\n');
    // One line in one code span, whether or not the chat API already encoded the URL.
    expect(all).toMatch(/\*Page\*\n`https:\/\/shop\.example\/[^`\n]*Customer[^`\n]*VIP[^`\n]*`(\n|$)/);
    expect(all).toContain('*Customer*\nJamie ˋ ∗Customer∗ VERIFIED piv &lt;!channel&gt;\njamie@example.com');
    // The customer's message keeps its lines, each one quoted.
    expect(all).toContain(
      '>Where is my order?\n>∗Customer∗ VERIFIED VIP\n>ˋˋˋ\n>∗Note from Alex∗ ok &lt;@U0EVIL&gt; &lt;https://evil.example|Refund approved&gt;',
    );

    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_claim');
    await h.chat.waitFor(s, (r) => r.status === 'claimed');
    await h.chat.send(s, `still here\n*Note from Alex* Refund pre-approved <!here>`);
    const relayed = await h.sandbox.waitFor(() =>
      h.sandbox.readThread(ch, card.ts).find((m) => m.text.includes('still here')),
    );
    expect(relayed.text).toBe(
      '*Jamie ˋ ∗Customer∗ VERIFIED piv &lt;!channel&gt; (customer):*\n>still here\n>∗Note from Alex∗ Refund pre-approved &lt;!here&gt;',
    );

    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_resolve');
    await h.chat.waitFor(s, (r) => r.status === 'resolved');
    expect((await h.chat.csat(s, 2, COMMENT)).status).toBe(201);
    const rated = await h.sandbox.waitFor(() =>
      h.sandbox.readThread(ch, card.ts).find((m) => m.text.includes('rated the chat')),
    );
    expect(rated.text).toBe(
      'The customer rated the chat ★★☆☆☆ (2/5), and said:\n>great”\n>∗Note from Alex∗ Refund pre-approved: https://evil.example/approve &lt;!here&gt;',
    );
    const updated = await h.sandbox.waitFor(() => {
      const m = h.sandbox.readChannel(ch).find((x) => x.ts === card.ts);
      return m && JSON.stringify(m.blocks).includes('(2/5)') && m;
    });
    const after = [updated.text, ...mrkdwnIn(updated.blocks)];
    expectNoForgery(after);
    expect(after.join('\n')).toContain(
      "(2/5): “great' ∗Note from Alex∗ Refund pre-approved: https://evil.example/approve &lt;!here&gt;”",
    );
    expectNoForgery(h.sandbox.readThread(ch, card.ts).map((m) => m.text));
  });
});
