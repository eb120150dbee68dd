// The wait a customer waiting for a person is told, from real claims at known (clock-controlled) times.
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import { type Harness, type Session, startHarness, waitForCard } from './harness.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
/** Baton's clock: T0 plus the jumps a test makes, still ticking (the outbox's Slack retries need time to pass). */
let jumped = 0;
let realStart = Date.now();
const now = () => new Date(T0 + jumped + (Date.now() - realStart));
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Escalation would move the cards on when the clock jumps; an hour keeps it out of the way. */
const start = () => startHarness({ ESCALATION_MINUTES: '600' }, undefined, now);

async function waitingCustomer(): Promise<{ s: Session; wait: unknown }> {
  const s = await h!.chat.start();
  const handoff = await h!.chat.handoff(s);
  expect(handoff.json.conversation.status).toBe('waiting');
  return { s, wait: handoff.json.conversation.wait };
}

/** Dana claims `s` after `waitMs` on Baton's clock. */
async function claim(s: Session, waitMs: number) {
  const card = await waitForCard(h!.sandbox, (t) => t.includes(s.id));
  jumped += waitMs;
  await h!.sandbox.clickButton(SANDBOX_AGENT_DANA, card.channel, card.ts, 'baton_claim');
  await h!.chat.waitFor(s, (r) => r.status === 'claimed');
}

const noNumber = { ahead: 0, minutes: null, overAnHour: false, afterHours: false };

describe('the wait shown to a customer waiting for a person', () => {
  it('has no number before five claims, then the p75 of the week, and the queue ahead', async () => {
    jumped = 0;
    realStart = Date.now();
    h = await start();
    const first = await waitingCustomer();
    expect(first.wait).toEqual(noNumber);
    await claim(first.s, 2.5 * MIN);
    for (const [i, minutes] of [3.5, 4.5, 5.5].entries()) {
      jumped = (i + 1) * 3_600_000;
      await claim((await waitingCustomer()).s, minutes * MIN);
    }
    // Four claims: still not enough to promise a number.
    jumped += 10 * MIN;
    const fifth = await waitingCustomer();
    expect(fifth.wait).toEqual(noNumber);
    await claim(fifth.s, 6.5 * MIN);

    // Claims took 2.5 to 6.5 minutes (and the test's few seconds): p75 = 5.5, so "about 6 minutes";
    // the median would have promised 5.
    jumped = 6 * 3_600_000;
    const next = await waitingCustomer();
    const behind = await waitingCustomer();
    expect(next.wait).toEqual({ ...noNumber, minutes: 6 });
    expect(behind.wait).toEqual({ ...noNumber, minutes: 6, ahead: 1 });
    // Only those who came before count: the one behind does not put anyone ahead of `next`.
    expect((await h.chat.messages(next.s)).json.conversation.wait).toEqual({ ...noNumber, minutes: 6 });
    // The history read (what the chat reloads while waiting) carries the same.
    expect((await h.chat.messages(behind.s)).json.conversation.wait).toEqual({
      ...noNumber,
      minutes: 6,
      ahead: 1,
    });

    // Claimed: no wait any more; the customer behind moves up.
    await claim(next.s, MIN);
    expect((await h.chat.messages(next.s)).json.conversation.wait).toBeUndefined();
    expect((await h.chat.messages(behind.s)).json.conversation.wait).toEqual({ ...noNumber, minutes: 6 });

    // Waited past the usual time: the number is withdrawn rather than broken.
    jumped += 6 * MIN;
    expect((await h.chat.messages(behind.s)).json.conversation.wait).toEqual(noNumber);
  });
});
