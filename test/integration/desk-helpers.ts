import { expect } from 'vitest';
import {
  SANDBOX_BOT_USER_ID as BOT,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../../src/sandbox/default-workspace.js';
import { type Harness, type Session, slashCommand, waitForCard } from './harness.js';

/**
 * Shared by the desk-commands-*.test.ts files: `/baton` through the local Slack workspace, and
 * what it changes (audit log, announcements in #support-handoffs, what customers experience).
 */

export interface Answer {
  response_type: string;
  text: string;
  blocks?: { type: string; text?: { text: string } }[];
}

export function expectUsage(answer: Answer, error: string | RegExp, usage: string) {
  if (typeof error === 'string') expect(answer.text).toContain(error);
  else expect(answer.text).toMatch(error);
  expect(answer.text).toContain(`Usage: \`${usage}\``);
}

/**
 * Helpers bound to the test file's harness. `harness` is read on every call, so a test may
 * replace the harness (e.g. restart it with other settings) and the helpers follow.
 */
export function deskHelpers(harness: () => Harness) {
  /** Runs `/baton` and waits for its answer (private to the caller). */
  async function baton(user: string, text: string, channel = HANDOFFS): Promise<Answer> {
    const answer = await slashCommand(harness().sandbox, user, channel, text);
    return {
      response_type: 'ephemeral',
      text: answer.text,
      ...(answer.blocks ? { blocks: answer.blocks as NonNullable<Answer['blocks']> } : {}),
    };
  }

  const audit = () => harness().baton.deps.db.selectFrom('audit_log').selectAll().orderBy('id').execute();

  const botPostsIn = (channel: string) =>
    harness()
      .sandbox.readChannel(channel)
      .filter((m) => m.user === BOT && !m.thread_ts);

  /** Waits for Baton's announcement in #support-handoffs. */
  function announced(pattern: string | RegExp) {
    const hit = (text: string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
    return harness().sandbox.waitFor(() => botPostsIn(HANDOFFS).find((m) => hit(m.text)));
  }

  /** A customer asks for a person with the widget's button (optionally after one question). */
  async function handOff(opts: { first?: string; pageUrl?: string } = {}) {
    const h = harness();
    const s = await h.chat.start({
      customer: { name: 'Jamie Customer', email: 'jamie@example.com' },
      ...(opts.pageUrl ? { pageUrl: opts.pageUrl } : {}),
    });
    if (opts.first) {
      await h.chat.send(s, opts.first);
      await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot') || r.status !== 'bot');
    }
    const res = await h.chat.handoff(s);
    expect(res.status).toBe(202);
    return s;
  }

  async function claimedBy(s: Session, user: string) {
    const h = harness();
    const card = await waitForCard(h.sandbox, (t) => t.includes(s.id));
    const click = await h.sandbox.clickButton(user, card.channel, card.ts, 'baton_claim');
    expect(click.status).toBe(200);
    await h.chat.waitFor(s, (r) => r.status === 'claimed');
    return card;
  }

  const systemTexts = async (s: Session) =>
    ((await harness().chat.messages(s)).json.messages as { author: string; text: string }[])
      .filter((m) => m.author === 'system')
      .map((m) => m.text);

  return { baton, audit, botPostsIn, announced, handOff, claimedBy, systemTexts };
}
