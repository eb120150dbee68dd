import { afterEach, describe, expect, it } from 'vitest';
import { SLOW_NOTICE } from '../../src/handoff/escalation.js';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_AGENT_SAM as SAM,
  SANDBOX_BOT_USER_ID as BOT,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../../src/sandbox/default-workspace.js';
import {
  assignedTo,
  baton,
  claim,
  h,
  handOff,
  handoffRow,
  start,
  stopHarness,
} from './desk-routing-helpers.js';

/**
 * Escalation of unclaimed cards on an injected clock, and business hours across time zones. Routing
 * to agents at handoff time: desk-routing-agents.test.ts.
 */

afterEach(stopHarness);

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
