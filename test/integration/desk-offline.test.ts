import { afterEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_AGENT_SAM as SAM,
  SANDBOX_BOT_USER_ID as BOT,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../../src/sandbox/default-workspace.js';
import { type SmtpSink, startSmtp, withTimeout } from '../support/smtp-sink.js';
import { type Harness, type Session, startHarness, waitForCard } from './harness.js';

/**
 * The offline path end to end: nobody available, the customer leaves an email, the agent's replies
 * go out over real SMTP only while the customer is not in the chat. And an agent taking over a live
 * AI conversation from App Home.
 */

let h: Harness | undefined;
let smtp: SmtpSink | undefined;
afterEach(async () => {
  await h?.stop();
  await smtp?.close();
  h = smtp = undefined;
});

type Block = { type: string; text?: { text: string }; accessory?: { action_id: string; value: string } };

const cardIn = (ts: string) => h!.sandbox.readChannel(HANDOFFS).find((m) => m.ts === ts);
const blocksOf = (ts: string) => JSON.stringify(cardIn(ts)?.blocks ?? []);

/** Opens the customer's live stream and resolves once Baton is pushing to it. */
async function openStream(s: Session) {
  const abort = new AbortController();
  const res = await fetch(`${h!.baton.url}/api/v1/conversations/${s.id}/stream`, {
    headers: { authorization: `Bearer ${s.token}` },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  const readUntil = (text: string) =>
    withTimeout(
      (async () => {
        while (!seen.includes(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          seen += decoder.decode(value, { stream: true });
        }
      })(),
      `"${text}" on the stream`,
    );
  await readUntil('event: status');
  expect(h!.baton.deps.live.isWatched(s.id)).toBe(true);
  return {
    readUntil,
    async close() {
      abort.abort();
      await reader.cancel().catch(() => undefined);
      // The server notices the closed connection on its own: poll for it briefly.
      const deadline = Date.now() + 5000;
      while (h!.baton.deps.live.isWatched(s.id)) {
        if (Date.now() > deadline) throw new Error('the stream was not closed on the server');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

const emailRows = () => h!.baton.deps.db.selectFrom('email_outbox').selectAll().orderBy('id').execute();

describe('offline follow-up by email', () => {
  it('emails the agent reply while the customer is away from the chat, and only then', async () => {
    smtp = await startSmtp();
    h = await startHarness({ SMTP_URL: smtp.url });
    h.sandbox.setRateLimits(false);
    // Everyone is away in Slack before the first routing (Slack presence is cached for a minute).
    for (const user of [DANA, SAM, ALEX]) h.sandbox.setUserPresence(user, 'away');

    const s = await h.chat.start({ customer: { name: 'Pat Customer' } });
    await h.chat.send(s, 'Where is my order #NW-482913? It has been two weeks.');
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot'));
    expect((await h.chat.handoff(s)).status).toBe(202);
    const queued = await h.chat.waitFor(s, (r) => r.status === 'queued' && r);
    expect(queued.messages.at(-1)).toMatchObject({
      author: 'system',
      text: expect.stringContaining('Leave your email'),
    });
    const card = await waitForCard(h.sandbox, (t) => t.includes(s.id));
    const header = (card.blocks as Block[]).find((b) => b.type === 'header');
    expect(header?.text?.text).toBe('Offline follow-up: Customer asked for a person');
    expect(JSON.stringify(card.blocks)).toContain('no email left yet');
    expect(JSON.stringify(card.blocks)).not.toContain('Follow up by email');

    const left = await h.chat.call('POST', `/conversations/${s.id}/email`, s.token, {
      email: 'pat@example.com',
    });
    expect(left.status).toBe(200);
    await h.sandbox.waitFor(() => blocksOf(card.ts).includes('*Follow up by email:* pat@example.com'));
    expect(blocksOf(card.ts)).not.toContain('no email left yet');

    await h.sandbox.clickButton(DANA, HANDOFFS, card.ts, 'baton_claim');
    await h.chat.waitFor(s, (r) => r.status === 'claimed');
    expect(h.baton.deps.live.isWatched(s.id)).toBe(false);

    // 1. Nobody watching the chat: the reply goes out by email (and stays in the chat).
    const firstMail = smtp.nextMail();
    await h.sandbox.postMessageAs(DANA, HANDOFFS, 'Hi Pat, your parcel left our warehouse today.', {
      threadTs: card.ts,
    });
    const mail = await firstMail;
    expect(mail.rcptTo).toEqual(['pat@example.com']);
    expect(mail.headers.get('subject')).toBe('Dana replied to your support conversation');
    // It says a reply is waiting; what the reply says stays in the chat.
    expect(mail.parts.get('text/plain')).toContain('Dana from');
    expect(mail.parts.get('text/plain')).not.toContain('parcel');
    await h.chat.waitFor(s, (r) =>
      r.messages.some((m) => m.author === 'agent' && m.text.startsWith('Hi Pat, your parcel')),
    );
    // Internal notes never leave Slack, by email or otherwise.
    await h.sandbox.postMessageAs(DANA, HANDOFFS, 'note: called the courier', { threadTs: card.ts });

    // 2. The customer is back in the chat: the reply arrives there, no email.
    const stream = await openStream(s);
    await h.sandbox.postMessageAs(DANA, HANDOFFS, 'Oh, you are back! It arrives Friday.', {
      threadTs: card.ts,
    });
    await stream.readUntil('It arrives Friday.');
    await stream.close();

    // 3. Gone again: the next reply is emailed. Emails go out in order, so once this one has
    // arrived the in-chat reply would have arrived before it if it had been sent at all.
    const thirdMail = smtp.nextMail();
    await h.sandbox.postMessageAs(DANA, HANDOFFS, 'One more thing: tracking is NW-TRACK-1.', {
      threadTs: card.ts,
    });
    expect((await thirdMail).parts.get('text/plain')).not.toContain('NW-TRACK-1');
    const bodies = smtp.received.map((m) => m.parts.get('text/plain') ?? '');
    expect(bodies).toHaveLength(2);
    expect(bodies.some((b) => /Friday|courier|parcel/.test(b))).toBe(false);
    // The two emails stand for the first and third replies, not the one the customer saw live.
    const agentIds = (
      (await h.chat.messages(s)).json.messages as { id: string; author: string; text: string }[]
    )
      .filter((m) => m.author === 'agent')
      .map((m) => ({ id: m.id, text: m.text }));
    const emailedFor = (await emailRows()).map((r) => agentIds.find((m) => m.id === r.message_id)?.text);
    expect(emailedFor).toEqual([
      'Hi Pat, your parcel left our warehouse today.',
      'One more thing: tracking is NW-TRACK-1.',
    ]);
    // The worker marks a row sent just after the SMTP server has accepted it.
    const deadline = Date.now() + 5000;
    while ((await emailRows()).some((r) => r.state !== 'sent') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await emailRows()).map((r) => r.state)).toEqual(['sent', 'sent']);

    const agentTexts = ((await h.chat.messages(s)).json.messages as { author: string; text: string }[])
      .filter((m) => m.author === 'agent')
      .map((m) => m.text);
    expect(agentTexts).toEqual([
      'Hi Pat, your parcel left our warehouse today.',
      'Oh, you are back! It arrives Friday.',
      'One more thing: tracking is NW-TRACK-1.',
    ]);
  });

  it('never emails a customer who left no follow-up email', async () => {
    smtp = await startSmtp();
    h = await startHarness({ SMTP_URL: smtp.url });
    h.sandbox.setRateLimits(false);
    for (const user of [DANA, SAM, ALEX]) h.sandbox.setUserPresence(user, 'away');
    const s = await h.chat.start({ customer: { name: 'Pat Customer' } });
    await h.chat.handoff(s);
    await h.chat.waitFor(s, (r) => r.status === 'queued');
    const card = await waitForCard(h.sandbox, (t) => t.includes(s.id));
    await h.sandbox.clickButton(DANA, HANDOFFS, card.ts, 'baton_claim');
    await h.chat.waitFor(s, (r) => r.status === 'claimed');
    await h.sandbox.postMessageAs(DANA, HANDOFFS, 'Hello Pat!', { threadTs: card.ts });
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'agent'));
    expect(await emailRows()).toEqual([]);
    expect(smtp.received).toEqual([]);
  });
});

describe('taking over from App Home', () => {
  it('lists live AI conversations; Take over opens a card claimed by the agent and tells the customer', async () => {
    h = await startHarness();
    h.sandbox.setRateLimits(false);
    const s = await h.chat.start({ customer: { name: 'Robin Shopper' } });
    await h.chat.send(s, 'How long does standard shipping take?');
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot'));

    // Sam looks first and keeps a stale view open.
    await h.sandbox.openAppHome(SAM);
    const samView = await h.sandbox.waitFor(() => h!.sandbox.homeViewFor(SAM));

    await h.sandbox.openAppHome(DANA);
    const home = await h.sandbox.waitFor(() => h!.sandbox.homeViewFor(DANA));
    const blocks = home.view.blocks as Block[];
    const takeoverId = `baton_takeover:${s.id}`;
    const row = blocks.find((b) => b.accessory?.action_id === takeoverId);
    expect(row?.accessory?.value).toBe(s.id);
    expect(row?.text?.text).toContain('*Robin Shopper*');
    expect(row?.text?.text).toContain('2 messages');
    expect(JSON.stringify(blocks)).toContain('No open handoffs.');

    const click = await h.sandbox.clickViewButton(DANA, home.id, takeoverId);
    expect(click.status).toBe(200);
    const state = await h.chat.waitFor(s, (r) => r.status === 'claimed' && r);
    expect(state.agent?.name).toBe('Dana');
    expect(
      state.messages.some((m) => m.author === 'system' && m.text === 'Dana has joined the conversation.'),
    ).toBe(true);
    const card = await h.sandbox.waitFor(() =>
      h!.sandbox
        .readChannel(HANDOFFS)
        .find(
          (m) =>
            m.user === BOT &&
            JSON.stringify(m.blocks ?? []).includes(s.id) &&
            JSON.stringify(m.blocks ?? []).includes('With Dana: An agent took over'),
        ),
    );
    expect(JSON.stringify(card.blocks)).toContain(`Claimed by <@${DANA}>`);
    expect(JSON.stringify(card.blocks)).toContain('baton_resolve');
    const [handoff] = await h.baton.deps.db.selectFrom('handoffs').selectAll().execute();
    expect(handoff).toMatchObject({ reason: 'agent_takeover', claimed_by: DANA });

    // Her home is republished: no longer live with the assistant, now an open handoff with her.
    await h.sandbox.waitFor(() => {
      const text = JSON.stringify(h!.sandbox.homeViewFor(DANA)?.view.blocks ?? []);
      return !text.includes('baton_takeover') && text.includes(`with <@${DANA}>`);
    });

    // Sam's stale button changes nothing.
    expect((await h.sandbox.clickViewButton(SAM, samView.id, takeoverId)).status).toBe(200);
    await h.sandbox.waitFor(
      () => !JSON.stringify(h!.sandbox.homeViewFor(SAM)?.view.blocks).includes('baton_takeover'),
    );
    expect(await h.baton.deps.db.selectFrom('handoffs').selectAll().execute()).toHaveLength(1);
    expect((await h.chat.messages(s)).json.conversation.agent.name).toBe('Dana');

    // The thread works like any claimed handoff.
    await h.sandbox.postMessageAs(DANA, HANDOFFS, 'Hi Robin, Dana here. Standard is 3-5 days.', {
      threadTs: card.ts,
    });
    await h.chat.waitFor(s, (r) =>
      r.messages.some((m) => m.author === 'agent' && m.text.includes('Dana here')),
    );
  });
});
