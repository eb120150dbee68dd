import { afterEach, describe, expect, it } from 'vitest';
import { SLOW_NOTICE } from '../../src/handoff/escalation.js';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_AGENT_SAM as SAM,
  SANDBOX_BOT_USER_ID as BOT,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../../src/sandbox/default-workspace.js';
import { type Harness, type Session, slashCommand, startHarness, waitForCard } from './harness.js';

/**
 * Routing at handoff time with several agents (presence set in Baton or Slack's, capacity, skills,
 * load), escalation of unclaimed cards on an injected clock, and business hours across time zones.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start(env: Record<string, string> = {}, now?: () => Date): Promise<Harness> {
  h = await startHarness(env, undefined, now);
  h.sandbox.setRateLimits(false);
  return h;
}

async function baton(user: string, text: string): Promise<string> {
  return (await slashCommand(h!.sandbox, user, HANDOFFS, text)).text;
}

const handoffRow = (conversationId: string) =>
  h!.baton.deps.db
    .selectFrom('handoffs')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('resolved_at', 'is', null)
    .executeTakeFirstOrThrow();

const assignedTo = async (conversationId: string) =>
  (await handoffRow(conversationId)).assigned_to?.split(',') ?? [];

/** A customer presses "Talk to a person" (optionally after a first message) and the card is posted. */
async function handOff(first?: string) {
  const s = await h!.chat.start({ customer: { name: 'Jamie Customer', email: 'jamie@example.com' } });
  if (first) {
    await h!.chat.send(s, first);
    await h!.chat.waitFor(s, (r) => r.status !== 'bot');
  } else {
    expect((await h!.chat.handoff(s)).status).toBe(202);
  }
  const card = await waitForCard(h!.sandbox, (t) => t.includes(s.id));
  return { s, card };
}

/** Polls until the predicate holds (short interval, bounded). */
async function until<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = await probe();
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The card is in Slack once the sandbox has it; Baton records it (and only then escalates it) just after. */
const recorded = (conversationId: string) =>
  until(async () => (await handoffRow(conversationId)).state === 'posted', 'the card to be recorded');

async function claim(s: Session, cardTs: string, user: string) {
  await h!.sandbox.clickButton(user, HANDOFFS, cardTs, 'baton_claim');
  await h!.chat.waitFor(s, (r) => r.status === 'claimed');
}

/** Baton's direct messages to an agent (the sandbox keeps a bot DM as channel D + the user id's tail). */
const dmsTo = (user: string) =>
  h!.sandbox
    .readChannel(`D${user.slice(1)}`)
    .filter((m) => m.user === BOT && /A customer needs you/.test(m.text));

async function expectRoutedTo(conversationId: string, cardText: string, agent: string) {
  expect(await assignedTo(conversationId)).toEqual([agent]);
  expect(cardText).toContain(`<@${agent}>`);
}

describe('routing a handoff to an agent', () => {
  it('round robin alternates between the available agents, each told by DM', async () => {
    await start();
    await baton(ALEX, 'presence offline');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { s, card } = await handOff();
      const [agent] = await assignedTo(s.id);
      order.push(agent!);
      expect(card.text).toContain(`<@${agent}>`);
      expect(JSON.stringify(card.blocks)).toContain(`routed to <@${agent}>`);
    }
    expect(order).toEqual([DANA, SAM, DANA, SAM]);
    await h!.sandbox.waitFor(() => dmsTo(DANA).length === 2 && dmsTo(SAM).length === 2);
    expect(dmsTo(DANA)[0]!.text).toContain(`<#${HANDOFFS}>`);
    expect(dmsTo(ALEX)).toEqual([]);
    const dmCalls = h!.sandbox
      .calls()
      .filter((c) => c.method === 'chat.postMessage' && [DANA, SAM, ALEX].includes(String(c.args.channel)));
    expect(dmCalls.map((c) => c.args.channel).sort()).toEqual([DANA, DANA, SAM, SAM]);
  });

  it('gives nothing to busy, away or offline agents; with nobody left the handoff is queued', async () => {
    await start();
    await baton(DANA, 'presence busy');
    await baton(SAM, 'presence away');
    for (let i = 0; i < 3; i++) {
      const { s, card } = await handOff();
      await expectRoutedTo(s.id, card.text, ALEX);
    }
    await h!.sandbox.waitFor(() => dmsTo(ALEX).length === 3);
    expect(dmsTo(DANA)).toEqual([]);
    expect(dmsTo(SAM)).toEqual([]);

    await baton(ALEX, 'presence offline');
    const { s, card } = await handOff();
    const state = await h!.chat.waitFor(s, (r) => r.status === 'queued' && r);
    expect(
      state.messages.some((m) => m.author === 'system' && /No one from our team is available/.test(m.text)),
    ).toBe(true);
    expect(await assignedTo(s.id)).toEqual([]);
    const header = (card.blocks as { type: string; text?: { text: string } }[]).find(
      (b) => b.type === 'header',
    );
    expect(header?.text?.text).toMatch(/^Offline follow-up: /);
    expect(JSON.stringify(card.blocks)).toContain('no email left yet');
  });

  it('counts an agent at capacity as busy', async () => {
    await start();
    await baton(ALEX, 'presence offline');
    await baton(ALEX, `capacity <@${DANA}> 1`);
    const first = await handOff();
    await expectRoutedTo(first.s.id, first.card.text, DANA);
    await claim(first.s, first.card.ts, DANA);
    expect(await baton(SAM, 'presence')).toContain(`<@${DANA}> busy (from Slack) · 1/1 open`);
    // Round robin alone would pick Dana again next time; at capacity she gets nothing.
    const second = await handOff();
    await expectRoutedTo(second.s.id, second.card.text, SAM);
    const third = await handOff();
    await expectRoutedTo(third.s.id, third.card.text, SAM);
    // Once she resolves, she is available again.
    expect(await baton(DANA, 'resolve')).toContain('Resolved.');
    const fourth = await handOff();
    await expectRoutedTo(fourth.s.id, fourth.card.text, DANA);
  });

  it('follows Slack presence for an agent without a presence set in Baton', async () => {
    await start();
    // Before any routing: Slack presence is cached for a minute.
    h!.sandbox.setUserPresence(SAM, 'away');
    await baton(ALEX, 'presence offline');
    expect(await baton(DANA, 'presence')).toContain(`<@${SAM}> away (from Slack)`);
    for (let i = 0; i < 2; i++) {
      const { s, card } = await handOff();
      await expectRoutedTo(s.id, card.text, DANA);
    }
    // An explicit presence wins over Slack's.
    await baton(SAM, 'presence available');
    const { s } = await handOff();
    expect(await assignedTo(s.id)).toEqual([SAM]);
  });

  it('skill routing picks the agent with the topic as a skill, and anyone when nobody has it', async () => {
    await start();
    await baton(ALEX, 'presence offline');
    await baton(ALEX, 'routing skill');
    await baton(ALEX, `skills <@${SAM}> billing`);
    for (let i = 0; i < 2; i++) {
      const { s, card } = await handOff('I was charged twice for my order');
      expect((await handoffRow(s.id)).topic).toBe('billing');
      await expectRoutedTo(s.id, card.text, SAM);
    }
    // No topic at all: anyone available, in rotation (Dana has waited longest).
    const plain = await handOff();
    expect((await handoffRow(plain.s.id)).topic).toBeNull();
    expect(await assignedTo(plain.s.id)).toEqual([DANA]);
    // The skilled agent is away: someone else rather than no one.
    await baton(SAM, 'presence away');
    const fallback = await handOff('I was charged twice for my order');
    expect((await handoffRow(fallback.s.id)).topic).toBe('billing');
    expect(await assignedTo(fallback.s.id)).toEqual([DANA]);
  });

  it('load-balanced picks the agent with the fewest open conversations', async () => {
    await start();
    await baton(ALEX, 'presence offline');
    const a = await handOff();
    const b = await handOff();
    expect([await assignedTo(a.s.id), await assignedTo(b.s.id)]).toEqual([[DANA], [SAM]]);
    await claim(a.s, a.card.ts, DANA);
    await claim(b.s, b.card.ts, DANA);
    await baton(ALEX, 'routing load-balanced');
    // Dana has 2 open, Sam 0; after Sam claims one he still has fewer than Dana.
    const c = await handOff();
    expect(await assignedTo(c.s.id)).toEqual([SAM]);
    await claim(c.s, c.card.ts, SAM);
    const d = await handOff();
    expect(await assignedTo(d.s.id)).toEqual([SAM]);
  });

  it('first-available notifies every available agent on the card', async () => {
    await start();
    await baton(ALEX, 'routing first-available');
    await baton(SAM, 'presence busy');
    const { s, card } = await handOff();
    expect(await assignedTo(s.id)).toEqual([ALEX, DANA]);
    expect(card.text).toContain(`<@${ALEX}>`);
    expect(card.text).toContain(`<@${DANA}>`);
    expect(card.text).not.toContain(`<@${SAM}>`);
    expect(JSON.stringify(card.blocks)).toContain(`notified <@${ALEX}> <@${DANA}>`);
  });
});

describe('escalation of unclaimed cards', () => {
  it('mentions the next agent after ESCALATION_MINUTES, then @here; tells the customer honestly', async () => {
    let offsetMs = 0;
    await start({ ESCALATION_MINUTES: '1' }, () => new Date(Date.now() + offsetMs));
    await baton(ALEX, 'presence offline');
    const { s, card } = await handOff();
    expect(await assignedTo(s.id)).toEqual([DANA]);
    await recorded(s.id);
    const notices = () =>
      h!.sandbox
        .readThread(HANDOFFS, card.ts)
        .filter((m) => m.user === BOT && m.text.startsWith(':rotating_light:'))
        .map((m) => m.text);

    offsetMs = 50_000;
    await h!.baton.runJobs();
    expect((await handoffRow(s.id)).escalation_level).toBe(0);

    offsetMs = 61_000;
    await h!.baton.runJobs();
    const [first] = await h!.sandbox.waitFor(() => notices().length === 1 && notices());
    // The next agent is the one not routed to already.
    expect(first).toBe(
      `:rotating_light: <@${SAM}> this customer has waited 1 min without an agent. Can someone claim it?`,
    );
    await h!.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'system' && m.text === SLOW_NOTICE));
    expect((await handoffRow(s.id)).escalation_level).toBe(1);
    // The card says so too.
    await h!.sandbox.waitFor(() => {
      const m = h!.sandbox.readChannel(HANDOFFS).find((x) => x.ts === card.ts);
      return m && JSON.stringify(m.blocks).includes(':rotating_light: escalated');
    });

    // Not yet two periods: nothing more.
    offsetMs = 100_000;
    await h!.baton.runJobs();
    offsetMs = 121_000;
    await h!.baton.runJobs();
    const both = await h!.sandbox.waitFor(() => notices().length === 2 && notices());
    expect(both[1]).toBe(
      ':rotating_light: <!here> this customer has waited 2 min without an agent. Can someone claim it?',
    );
    expect((await handoffRow(s.id)).escalation_level).toBe(2);

    // Two steps is all: later runs stay quiet, and the customer was told once.
    offsetMs = 600_000;
    await h!.baton.runJobs();
    // A later notice would queue behind this one in the same thread.
    await h!.sandbox.postMessageAs(DANA, HANDOFFS, 'note: looking', { threadTs: card.ts });
    await h!.sandbox.waitFor(() =>
      h!.sandbox.readThread(HANDOFFS, card.ts).some((m) => m.text === 'note: looking'),
    );
    expect(notices()).toHaveLength(2);
    const texts = ((await h!.chat.messages(s)).json.messages as { text: string }[]).map((m) => m.text);
    expect(texts.filter((t) => t === SLOW_NOTICE)).toHaveLength(1);
  });

  it('calls the channel with @here once per period however many cards need it, and leaves none out', async () => {
    let offsetMs = 0;
    await start({ ESCALATION_MINUTES: '1' }, () => new Date(Date.now() + offsetMs));
    const cards = [await handOff(), await handOff(), await handOff()];
    for (const c of cards) await recorded(c.s.id);
    // A fourth customer, 50 s later: its @here step comes within the period after the others'.
    offsetMs = 50_000;
    const late = await handOff();
    await recorded(late.s.id);
    const inThreads = () =>
      [...cards, late].flatMap((c) =>
        h!.sandbox
          .readThread(HANDOFFS, c.card.ts)
          .filter((m) => m.user === BOT && m.text.startsWith(':rotating_light:'))
          .map((m) => m.text),
      );
    const inChannel = () =>
      h!.sandbox
        .readChannel(HANDOFFS)
        .filter((m) => m.user === BOT && m.text.includes('<!here>'))
        .map((m) => m.text);
    offsetMs = 61_000;
    await h!.baton.runJobs();
    await h!.sandbox.waitFor(() => inThreads().length === 3);
    offsetMs = 121_000;
    await h!.baton.runJobs();
    await h!.sandbox.waitFor(() => inThreads().length === 7);
    // Every card says it has waited, quietly; one message in the channel pages everyone for the three.
    expect(inThreads().filter((t) => t.includes('waited 2 min'))).toHaveLength(3);
    expect(inThreads().filter((t) => t.includes('<!here>'))).toEqual([]);
    const [call] = await h!.sandbox.waitFor(() => inChannel().length === 1 && inChannel());
    expect(call).toContain('3 customers have waited');

    // The fourth reaches its @here step 49 s after that call: not paged for yet, but not forgotten.
    offsetMs = 170_000;
    await h!.baton.runJobs();
    await h!.sandbox.waitFor(() => inThreads().length === 8);
    expect(inChannel()).toHaveLength(1);
    offsetMs = 185_000;
    await h!.baton.runJobs();
    const calls = await h!.sandbox.waitFor(() => inChannel().length === 2 && inChannel());
    expect(calls[1]).toContain('1 customer has waited');
    for (const c of [...cards, late]) expect((await handoffRow(c.s.id)).escalation_level).toBe(2);
  });

  it('never escalates a claimed handoff or an offline (queued) one', async () => {
    let offsetMs = 0;
    await start({ ESCALATION_MINUTES: '1' }, () => new Date(Date.now() + offsetMs));
    const claimed = await handOff();
    await claim(claimed.s, claimed.card.ts, DANA);
    for (const user of [DANA, SAM, ALEX]) await baton(user, 'presence away');
    const queued = await handOff();
    await h!.chat.waitFor(queued.s, (r) => r.status === 'queued');
    // A control that does escalate, posted last, so its notice proves the job ran for all three.
    await baton(SAM, 'presence available');
    const control = await handOff();
    await recorded(control.s.id);
    await recorded(queued.s.id);

    offsetMs = 10 * 60_000;
    await h!.baton.runJobs();
    await h!.sandbox.waitFor(() =>
      h!.sandbox.readThread(HANDOFFS, control.card.ts).some((m) => m.text.startsWith(':rotating_light:')),
    );
    for (const { s, card } of [claimed, queued]) {
      expect((await handoffRow(s.id)).escalation_level).toBe(0);
      expect(h!.sandbox.readThread(HANDOFFS, card.ts).some((m) => m.text.includes(':rotating_light:'))).toBe(
        false,
      );
      const texts = ((await h!.chat.messages(s)).json.messages as { text: string }[]).map((m) => m.text);
      expect(texts).not.toContain(SLOW_NOTICE);
    }
  });
});

describe('business hours across time zones', () => {
  /** A clock that runs from a fixed instant (it must run: the Slack outbox waits on it). */
  const clockFrom = (iso: string) => {
    const base = Date.parse(iso);
    const t0 = Date.now();
    return () => new Date(base + (Date.now() - t0));
  };

  async function statusAfterHandoff() {
    const { s } = await handOff();
    return h!.chat.waitFor(s, (r) => r.status !== 'bot' && r);
  }

  it('is open at 15:00 in New York while it is 20:00 in UTC', async () => {
    // Wednesday 2026-11-18 20:00 UTC = 15:00 in New York (EST).
    await start({}, clockFrom('2026-11-18T20:00:00Z'));
    expect(await baton(ALEX, 'hours mon-fri 09:00-17:00 America/New_York')).toContain('America/New_York');
    expect((await statusAfterHandoff()).status).toBe('waiting');

    expect(await baton(ALEX, 'hours mon-fri 09:00-17:00 UTC')).toContain('(UTC)');
    const closed = await statusAfterHandoff();
    expect(closed.status).toBe('queued');
    const notice = closed.messages.find((m) => m.author === 'system')!.text;
    expect(notice).toContain('No one from our team is available right now.');
    expect(notice).toContain('Our hours: mon, tue, wed, thu, fri, 09:00–17:00 (UTC).');

    // Hours off: always open again.
    await baton(ALEX, 'hours off');
    expect((await statusAfterHandoff()).status).toBe('waiting');
  });

  it('counts the local weekday: Monday evening in New York is Tuesday in UTC', async () => {
    // Tuesday 2026-11-17 02:00 UTC = Monday 21:00 in New York.
    await start({}, clockFrom('2026-11-17T02:00:00Z'));
    await baton(ALEX, 'hours mon 18:00-23:00 America/New_York');
    expect((await statusAfterHandoff()).status).toBe('waiting');
    await baton(ALEX, 'hours mon 18:00-23:00 UTC');
    expect((await statusAfterHandoff()).status).toBe('queued');
    await baton(ALEX, 'hours tue 00:00-03:00 UTC');
    expect((await statusAfterHandoff()).status).toBe('waiting');
    await baton(ALEX, 'hours tue 00:00-03:00 America/New_York');
    expect((await statusAfterHandoff()).status).toBe('queued');
  });
});
