// "Email me this conversation": the real app against the local Slack workspace and a real SMTP server.
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import { captureLog, type SmtpSink, startSmtp } from '../support/smtp-sink.js';
import { type Harness, type Session, startHarness, waitForCard } from './harness.js';

const CUSTOMER_EMAIL = 'jamie.transcript@example.com';
const HOSTILE = 'My order <b>NW-1</b> & "gift" <script>alert(1)</script>';
const NOTE = 'note: customer looks like a reseller, check the refund history';
// As Slack delivers what an agent typed: `<i>left</i>`, with its angle brackets escaped by Slack.
const DANA_SAYS = 'Hi Jamie, Dana here. NW-1 &lt;i&gt;left&lt;/i&gt; the warehouse today.';

let h: Harness | undefined;
let smtp: SmtpSink | undefined;
afterEach(async () => {
  await h?.stop();
  await smtp?.close();
  h = smtp = undefined;
});

const transcript = (s: Session, body: unknown, token = s.token) =>
  h!.chat.call('POST', `/conversations/${s.id}/transcript`, token, body);

/** A conversation with an answer, a handoff, a claim, a note and an agent's reply in it. */
async function conversationWithAgent(): Promise<Session> {
  const s = await h!.chat.start({ customer: { name: 'Jamie Customer' } });
  await h!.chat.send(s, HOSTILE);
  await h!.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot') || r.status !== 'bot');
  if ((await h!.chat.messages(s)).json.conversation.status === 'bot') await h!.chat.handoff(s);
  const card = await waitForCard(h!.sandbox, (t) => t.includes(s.id));
  const ch = card.channel;
  await h!.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_claim');
  await h!.chat.waitFor(s, (r) => r.status === 'claimed');
  await h!.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, NOTE, { threadTs: card.ts });
  await h!.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, DANA_SAYS, { threadTs: card.ts });
  await h!.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'agent'));
  return s;
}

describe('POST /conversations/:id/transcript', () => {
  it('emails what the customer saw, escaped, without the note or the card, and never logs the address', async () => {
    smtp = await startSmtp();
    const capture = captureLog();
    h = await startHarness(
      { SMTP_URL: smtp.url, EMAIL_BRAND: 'Northwind Goods' },
      undefined,
      undefined,
      capture.log,
    );
    const s = await conversationWithAgent();
    const arrived = smtp.nextMail();
    const res = await transcript(s, { email: CUSTOMER_EMAIL, requestId: 'r-1' });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ transcript: { email: CUSTOMER_EMAIL, status: 'queued' } });
    const mail = await arrived;

    expect(mail.rcptTo).toEqual([CUSTOMER_EMAIL]);
    expect(mail.headers.get('subject')).toBe('Your conversation with Northwind Goods');
    const text = mail.parts.get('text/plain')!;
    const html = mail.parts.get('text/html')!;
    const shown = (await h.chat.messages(s)).json.messages as { author: string; text: string }[];
    // Every message of the chat, in order, in the plain-text part, written as it was.
    let at = 0;
    for (const m of shown) {
      const firstLine = m.text.split('\n')[0]!;
      const found = text.indexOf(firstLine, at);
      expect(found, `${m.author}: ${firstLine}`).toBeGreaterThanOrEqual(at);
      at = found;
    }
    expect(text).toContain(HOSTILE);
    expect(text).toContain('Dana, ');
    expect(text).toContain('NW-1 <i>left</i> the warehouse');
    expect(text).toContain('Dana has joined the conversation.');
    // The HTML part shows the same text, escaped: no tag the customer or the agent typed survives.
    expect(html).toContain(
      'My order &lt;b&gt;NW-1&lt;/b&gt; &amp; &quot;gift&quot; &lt;script&gt;alert(1)&lt;/script&gt;',
    );
    expect(html).toContain('NW-1 &lt;i&gt;left&lt;/i&gt; the warehouse');
    expect(html).not.toMatch(/<script|<b>NW-1|<i>left/);
    // Nothing the agents keep to themselves: not the note, and no line but the chat's own and the
    // email's fixed frame (so nothing from the card: its reason, summary or customer details).
    for (const part of [text, html]) expect(part).not.toMatch(/reseller|refund history/);
    const frame = [
      'Hi,',
      'Here is your conversation with Northwind Goods, as you asked.',
      "You asked for this email in our chat. If you didn't, you can ignore it.",
      '-- Northwind Goods support',
    ];
    const ofChat = shown.flatMap((m) => m.text.split('\n').map((l) => l.trim()));
    const stray = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !frame.includes(l))
      .filter((l) => !/^(You|Assistant|Dana), \d{4}-\d\d-\d\d \d\d:\d\d UTC:$/.test(l))
      .map((l) => l.replace(/^-- (.*) \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/, '$1'))
      .filter((l) => !ofChat.includes(l));
    expect(stray).toEqual([]);
    expect(text).not.toContain(s.id);
    await h.baton.settle();
    expect(capture.lines.join('\n')).not.toContain(CUSTOMER_EMAIL);
    expect(capture.lines.join('\n')).toContain('transcript queued for the customer');
  });

  it('takes three an hour per conversation, then answers 429 with Retry-After; a repeated request id queues nothing', async () => {
    smtp = await startSmtp();
    h = await startHarness({ SMTP_URL: smtp.url });
    const s = await h.chat.start();
    await h.chat.send(s, 'Hello');
    for (const id of ['a', 'b', 'c'])
      expect((await transcript(s, { email: CUSTOMER_EMAIL, requestId: id })).status).toBe(202);
    // The same request again (its answer lost on the way): answered alike, not counted, not queued again.
    expect((await transcript(s, { email: CUSTOMER_EMAIL, requestId: 'a' })).status).toBe(202);
    const refused = await transcript(s, { email: CUSTOMER_EMAIL, requestId: 'd' });
    expect(refused.status).toBe(429);
    expect(refused.json.error).toEqual({
      code: 'rate_limited',
      message: 'A conversation can be emailed 3 times an hour; please try again later',
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const rows = await h.baton.deps.db.selectFrom('email_outbox').select('message_id').execute();
    expect(rows.map((r) => r.message_id!.split(':').slice(0, 3).join(':')).sort()).toEqual(
      ['a', 'b', 'c'].map((id) => `transcript:${s.id}:${id}`),
    );
    // Another conversation has its own allowance.
    const other = await h.chat.start();
    await h.chat.send(other, 'Hello');
    expect((await transcript(other, { email: CUSTOMER_EMAIL })).status).toBe(202);
  });

  it('sends a corrected address its own email, even under the same request id', async () => {
    smtp = await startSmtp();
    h = await startHarness({ SMTP_URL: smtp.url });
    const s = await h.chat.start();
    await h.chat.send(s, 'Hello');
    const typo = 'jamie.transcirpt@example.com';
    expect((await transcript(s, { email: typo, requestId: 'same' })).json.transcript.email).toBe(typo);
    const fixed = await transcript(s, { email: CUSTOMER_EMAIL, requestId: 'same' });
    expect(fixed.status).toBe(202);
    expect(fixed.json.transcript.email).toBe(CUSTOMER_EMAIL);
    const rows = await h.baton.deps.db.selectFrom('email_outbox').select('to_address').execute();
    expect(rows.map((r) => r.to_address).sort()).toEqual([typo, CUSTOMER_EMAIL].sort());
    // The first address's request repeated is still the same request: nothing new queued.
    expect((await transcript(s, { email: typo, requestId: 'same' })).status).toBe(202);
    expect(await h.baton.deps.db.selectFrom('email_outbox').select('id').execute()).toHaveLength(2);
  });

  it('sends one address at most five a day from any conversation, and nothing before a message', async () => {
    smtp = await startSmtp();
    h = await startHarness({ SMTP_URL: smtp.url });
    const empty = await h.chat.start();
    const nothing = await transcript(empty, { email: CUSTOMER_EMAIL });
    expect(nothing.status).toBe(409);
    expect(nothing.json.error.message).toBe('There is nothing to email yet: write a message first');
    const victim = 'someone.else@example.com';
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const s = await h.chat.start();
      await h.chat.send(s, `Hello ${i}`);
      for (let k = 0; k < 2; k += 1)
        statuses.push((await transcript(s, { email: victim.toUpperCase() })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const s = await h.chat.start();
    await h.chat.send(s, 'Hello');
    const refused = await transcript(s, { email: victim });
    expect(refused.status).toBe(429);
    expect(refused.json.error.message).toBe(
      'That address has been sent 5 transcripts today; please try again tomorrow',
    );
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(23 * 3600);
    expect((await transcript(s, { email: CUSTOMER_EMAIL })).status).toBe(202);
  });

  it('takes ten an hour from one network across its conversations', async () => {
    smtp = await startSmtp();
    h = await startHarness({ SMTP_URL: smtp.url });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const s = await h.chat.start();
      await h.chat.send(s, `Hello ${i}`);
      for (let k = 0; k < 3; k += 1)
        statuses.push((await transcript(s, { email: `reader${i}.${k}@example.com` })).status);
    }
    expect(statuses).toEqual([...Array(10).fill(202), 429, 429]);
  });

  it('refuses a bad address with 400 and a clear message, and a wrong token like every conversation route', async () => {
    smtp = await startSmtp();
    h = await startHarness({ SMTP_URL: smtp.url });
    const s = await h.chat.start();
    const bad = await transcript(s, { email: 'jamie at example' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toEqual({
      code: 'bad_request',
      message: 'email: must be an email address, like name@example.com',
    });
    expect((await transcript(s, { email: CUSTOMER_EMAIL, cc: 'x@example.com' })).status).toBe(400);
    const wrong = await transcript(s, { email: CUSTOMER_EMAIL }, 'x'.repeat(43));
    const missing = await h.chat.call('POST', `/conversations/${s.id}/transcript`, undefined, {
      email: CUSTOMER_EMAIL,
    });
    const handoffWrong = await h.chat.call('POST', `/conversations/${s.id}/handoff`, 'x'.repeat(43));
    expect([wrong.status, missing.status]).toEqual([handoffWrong.status, handoffWrong.status]);
    expect(wrong.json).toEqual(handoffWrong.json);
    expect(wrong.status).toBe(404);
    expect(await h.baton.deps.db.selectFrom('email_outbox').selectAll().execute()).toEqual([]);
  });

  it('answers 503 "Email is not available here" when no SMTP server is configured, and queues nothing', async () => {
    h = await startHarness();
    const s = await h.chat.start();
    const res = await transcript(s, { email: CUSTOMER_EMAIL });
    expect(res.status).toBe(503);
    expect(res.json.error).toEqual({ code: 'unavailable', message: 'Email is not available here' });
    expect(await h.baton.deps.db.selectFrom('email_outbox').selectAll().execute()).toEqual([]);
  });
});
