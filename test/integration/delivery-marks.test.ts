import { afterEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_BOT_USER_ID as BOT,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../../src/sandbox/default-workspace.js';
import { type SmtpSink, startSmtp } from '../support/smtp-sink.js';
import { type Harness, type Session, startHarness, waitForCard } from './harness.js';

/**
 * Delivery marks through the local Slack workspace: an agent's reply in the thread gets reactions as
 * the customer's page reports it received (✓) and shown (👀), as its email goes out (✉), or a warning
 * and a note in the thread when it has not reached the customer after 2 minutes.
 */

let h: Harness | undefined;
let smtp: SmtpSink | undefined;
afterEach(async () => {
  await h?.stop();
  await smtp?.close();
  h = smtp = undefined;
});

let skewMs = 0;
const now = () => new Date(Date.now() + skewMs);

async function start(env: Record<string, string> = {}) {
  skewMs = 0;
  h = await startHarness(env, undefined, now);
  h.sandbox.setRateLimits(false);
  return h;
}

/** A customer handed to Dana, and Dana's first reply: its thread ts and its seq in the chat. */
async function dana(h: Harness, first: Record<string, unknown> = { customer: { name: 'Robin' } }) {
  const s = await h.chat.start(first);
  await h.chat.handoff(s);
  const card = await waitForCard(h.sandbox, (t) => t.includes(s.id));
  await h.sandbox.clickButton(DANA, HANDOFFS, card.ts, 'baton_claim');
  await h.chat.waitFor(s, (r) => r.status === 'claimed');
  const reply = await h.sandbox.postMessageAs(
    DANA,
    HANDOFFS,
    'Hi Robin, Dana here. Your parcel left today.',
    {
      threadTs: card.ts,
    },
  );
  const seq = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'agent')?.seq);
  return { s, card, reply, seq: seq! };
}

const receipts = (h: Harness, s: Session, body: unknown) =>
  h.chat.call('POST', `/conversations/${s.id}/receipts`, s.token, body);

const marks = (h: Harness, ts: string) => h.sandbox.reactionsOn(HANDOFFS, ts).map((r) => r.name);
const reactionCalls = (h: Harness) => h.sandbox.calls().filter((c) => c.method.startsWith('reactions.'));

describe('delivery marks on agent replies', () => {
  it('marks a reply delivered, then seen, once each, as the page reports them', async () => {
    const h = await start();
    const { s, card, reply, seq } = await dana(h);
    expect(marks(h, reply.ts)).toEqual([]);

    expect((await receipts(h, s, { delivered: seq })).status).toBe(204);
    await h.sandbox.waitFor(() => marks(h, reply.ts).includes('white_check_mark'));
    expect(h.sandbox.reactionsOn(HANDOFFS, reply.ts)).toEqual([
      { name: 'white_check_mark', users: [BOT], count: 1 },
    ]);
    // Another line seen: this reply is not marked seen.
    await receipts(h, s, { delivered: seq, seen: [seq - 1] });
    await receipts(h, s, { seen: [seq] });
    await h.sandbox.waitFor(() => marks(h, reply.ts).includes('eyes'));
    await receipts(h, s, { delivered: seq, seen: [seq] });
    await h.baton.settle();
    expect(marks(h, reply.ts)).toEqual(['white_check_mark', 'eyes']);
    expect(reactionCalls(h).map((c) => c.method)).toEqual(['reactions.add', 'reactions.add']);

    // Two more replies; only the later one was on screen: the earlier is delivered, not seen.
    const second = await h.sandbox.postMessageAs(DANA, HANDOFFS, 'A long answer…', { threadTs: card.ts });
    const third = await h.sandbox.postMessageAs(DANA, HANDOFFS, 'In short: Friday.', { threadTs: card.ts });
    const last = await h.chat.waitFor(s, (r) => r.messages.filter((m) => m.author === 'agent').at(2)?.seq);
    await receipts(h, s, { delivered: last!, seen: [last!] });
    await h.sandbox.waitFor(() => marks(h, third.ts).includes('eyes'));
    await h.baton.settle();
    expect(marks(h, second.ts)).toEqual(['white_check_mark']);
    expect(marks(h, third.ts)).toEqual(['white_check_mark', 'eyes']);

    // Delivered in time: no warning later.
    skewMs = 5 * 60_000;
    await h.baton.runJobs();
    await h.baton.settle();
    expect(marks(h, reply.ts)).toEqual(['white_check_mark', 'eyes']);
  });

  it('tells the agent in the thread when a reply has not arrived after 2 minutes, and takes it back when it does', async () => {
    const h = await start();
    const { s, card, reply, seq } = await dana(h);
    const notes = () =>
      h.sandbox
        .readThread(HANDOFFS, card.ts)
        .filter((m) => m.user === BOT && m.text.includes('has not reached the customer'));

    skewMs = 119_000;
    await h.baton.runJobs();
    await h.baton.settle();
    expect(marks(h, reply.ts)).toEqual([]);

    skewMs = 121_000;
    await h.baton.runJobs();
    await h.sandbox.waitFor(() => notes().length === 1 && marks(h, reply.ts).includes('warning'));
    expect(notes()[0]!.text).toBe(
      `:warning: <@${DANA}> Your reply “Hi Robin, Dana here. Your parcel left today.” has not reached the customer after 2 minutes: the customer is not in the chat and left no email address; they will see it if they come back.`,
    );
    // Told once.
    skewMs = 600_000;
    await h.baton.runJobs();
    await h.baton.settle();
    expect(notes()).toHaveLength(1);

    // The customer comes back and reads it: the warning gives way to the marks.
    await receipts(h, s, { delivered: seq, seen: [seq] });
    await h.sandbox.waitFor(
      () => marks(h, reply.ts).includes('eyes') && !marks(h, reply.ts).includes('warning'),
    );
    expect(marks(h, reply.ts)).toEqual(['white_check_mark', 'eyes']);
  });

  it('marks a reply sent by email with ✉', async () => {
    smtp = await startSmtp();
    const h = await start({ SMTP_URL: smtp.url });
    const arrived = smtp.nextMail();
    const { reply } = await dana(h, { customer: { name: 'Robin', email: 'robin@example.com' } });
    expect((await arrived).rcptTo).toEqual(['robin@example.com']);
    await h.sandbox.waitFor(() => marks(h, reply.ts).includes('envelope'));
    // Emailed in time: no warning.
    skewMs = 5 * 60_000;
    await h.baton.runJobs();
    await h.baton.settle();
    expect(marks(h, reply.ts)).toEqual(['envelope']);
  });

  it('a rate-limited mark never holds up the customer’s lines in the same channel', async () => {
    const h = await start();
    const { s, card, reply, seq } = await dana(h);
    h.sandbox.forceRateLimit('reactions.add', 1, 30);
    await receipts(h, s, { delivered: seq });
    await h.sandbox.waitFor(() => reactionCalls(h).length === 1);
    await h.chat.send(s, 'Thanks Dana, and when will it arrive?');
    await h.sandbox.waitFor(() =>
      h.sandbox.readThread(HANDOFFS, card.ts).some((m) => m.text.includes('when will it arrive?')),
    );
    // The mark waits out Slack's Retry-After on its own lane.
    expect(marks(h, reply.ts)).toEqual([]);
  });

  it('refuses malformed receipts with a clear error, and another conversation’s token', async () => {
    const h = await start();
    const { s, reply, seq } = await dana(h);
    for (const body of [
      {},
      { delivered: -1 },
      { seen: [1.5] },
      { seen: seq },
      { seen: [] },
      { delivered: seq, extra: true },
      'not json',
    ]) {
      const res = await receipts(h, s, body);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('bad_request');
    }
    const other = await h.chat.start();
    const forged = await h.chat.call('POST', `/conversations/${s.id}/receipts`, other.token, { seen: [seq] });
    expect(forged.status).toBe(404);
    await h.baton.settle();
    expect(marks(h, reply.ts)).toEqual([]);
  });
});
