import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA as DANA } from '../../src/sandbox/default-workspace.js';
import { type Harness, type Session, startHarness, waitForCard } from '../integration/harness.js';
import { claimedByDana } from './slack-weather-helpers.js';

/**
 * Slack weather (issue 10), the outbox at Slack's pace: a new handoff card is not stuck behind other
 * conversations' thread lines while Slack rate-limits the channel, and no line is lost or reordered.
 * Faults (slow, 429, errors, a locked database): slack-weather-faults.test.ts.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("the outbox at Slack's pace", () => {
  it("posts a new handoff card ahead of other conversations' queued thread lines", async () => {
    h = await startHarness();
    const busy = await claimedByDana(h);
    await h.baton.settle();
    // Slack holds the channel for 2 s while the busy customer writes five lines, then a new customer asks.
    h.sandbox.forceRateLimit('chat.postMessage', 1, 2);
    for (let i = 1; i <= 5; i += 1) await h.chat.send(busy.s, `line ${i}`);
    const next = await h.chat.start({ customer: { name: 'Noor' } });
    await h.chat.send(next, 'I want to talk to a person');
    await h.chat.waitFor(next, (r) => r.status === 'waiting');

    await waitForCard(h.sandbox, (m) => m.includes('Noor'));
    await h.sandbox.waitFor(() =>
      h!.sandbox.readThread(h!.sandbox.handoffChannelId, busy.cardTs).find((m) => m.text.includes('line 5')),
    );
    const posts = h.sandbox
      .calls()
      .filter((c) => c.method === 'chat.postMessage' && c.status === 200)
      .map((c) => JSON.stringify(c.args));
    const card = posts.findIndex((p) => p.includes('Noor') && p.includes('baton_claim'));
    const lastLine = posts.findIndex((p) => p.includes('line 5'));
    expect(card).toBeGreaterThan(-1);
    expect(card).toBeLessThan(lastLine);
    // The busy thread still reads in order.
    const lines = h.sandbox
      .readThread(h.sandbox.handoffChannelId, busy.cardTs)
      .flatMap((m) => [...m.text.matchAll(/line (\d)/g)].map((x) => x[1]));
    expect(lines).toEqual(['1', '2', '3', '4', '5']);
  }, 30_000);

  it('posts a burst of customer lines held up by Slack as one message, in order', async () => {
    h = await startHarness();
    const busy = await claimedByDana(h);
    await h.baton.settle();
    h.sandbox.forceRateLimit('chat.postMessage', 1, 2);
    for (let i = 1; i <= 5; i += 1) await h.chat.send(busy.s, `burst ${i}`);
    const post = await h.sandbox.waitFor(() =>
      h!.sandbox.readThread(h!.sandbox.handoffChannelId, busy.cardTs).find((m) => m.text.includes('burst 5')),
    );
    expect([...post.text.matchAll(/burst (\d)/g)].map((x) => x[1])).toEqual(['1', '2', '3', '4', '5']);
    // One header for the whole burst, every line quoted.
    expect(post.text.match(/\(customer\)/g)).toHaveLength(1);
    const posts = h.sandbox
      .readThread(h.sandbox.handoffChannelId, busy.cardTs)
      .filter((m) => m.text.includes('burst'));
    expect(posts).toHaveLength(1);
    // Slack has the post; Baton records it once Slack's answer is back (a moment later).
    const recorded = async () => {
      const rows = await h!.baton.deps.db
        .selectFrom('slack_outbox')
        .select(['state', 'result_ts'])
        .where('kind', '=', 'thread_message')
        .execute();
      return rows.every((r) => r.state === 'done') ? rows : undefined;
    };
    let rows = await recorded();
    for (let i = 0; !rows && i < 100; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rows = await recorded();
    }
    expect(rows).toBeDefined();
    expect(rows!.filter((r) => r.result_ts === post.ts)).toHaveLength(5);
  }, 30_000);
});

describe("ten busy threads at Slack's real pace", () => {
  it('posts a new handoff card within 5 s while ten claimed conversations keep writing, and loses no line', async () => {
    // Eleven customers on one loopback address: the per-address write limit is for the open internet.
    h = await startHarness({}, { writesPerAddressPerMinute: 100_000, messagesPerMinute: 100_000 });
    const harness = h;
    const channel = harness.sandbox.handoffChannelId;
    // Ten claimed conversations, set up without pacing so the test starts quickly.
    harness.sandbox.setRateLimits(false);
    const busy: { s: Session; cardTs: string }[] = [];
    for (let i = 0; i < 10; i += 1) {
      const s = await harness.chat.start({ customer: { name: `Busy ${i}` } });
      await harness.chat.send(s, 'I want to talk to a person');
      const card = await waitForCard(harness.sandbox, (m) => m.includes(`Busy ${i}`));
      await harness.sandbox.clickButton(DANA, channel, card.ts, 'baton_claim');
      await harness.chat.waitFor(s, (r) => r.status === 'claimed');
      busy.push({ s, cardTs: card.ts });
    }
    await harness.baton.settle();

    // Slack's pace from here on: about one post a second in the channel, Tier 3 for updates and reads.
    harness.sandbox.setRateLimits(true);
    let writing = true;
    const sent: string[][] = busy.map(() => []);
    const traffic = busy.map(async ({ s }, i) => {
      for (let k = 0; writing; k += 1) {
        const line = `busy${i}line${k}`;
        expect((await harness.chat.send(s, line)).status).toBe(201);
        sent[i]!.push(line);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const asked = Date.now();
    const next = await harness.chat.start({ customer: { name: 'Noor' } });
    await harness.chat.send(next, 'I want to talk to a person');
    await waitForCard(harness.sandbox, (m) => m.includes('Noor'));
    const cardAfterMs = Date.now() - asked;
    writing = false;
    await Promise.all(traffic);
    expect(cardAfterMs).toBeLessThanOrEqual(5000);

    // Every line reaches its thread once and in order (pacing off again, so the backlog drains quickly).
    harness.sandbox.setRateLimits(false);
    const linesIn = (i: number) =>
      harness.sandbox
        .readThread(channel, busy[i]!.cardTs)
        .flatMap((m) => m.text.match(new RegExp(`busy${i}line\\d+`, 'g')) ?? []);
    await harness.sandbox.waitFor(
      () => busy.every((_, i) => linesIn(i).length >= sent[i]!.length) || undefined,
      60_000,
    );
    for (let i = 0; i < busy.length; i += 1) expect(linesIn(i)).toEqual(sent[i]);
  }, 120_000);
});
