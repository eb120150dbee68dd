import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USAGE } from '../../src/desk/command-parser.js';
import {
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_AGENT_SAM as SAM,
  SANDBOX_GENERAL_CHANNEL_ID as GENERAL,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../../src/sandbox/default-workspace.js';
import { deskHelpers, expectUsage } from './desk-helpers.js';
import { type Harness, startHarness } from './harness.js';

/**
 * `/baton` commands about handoffs (stats, resolve, transfer) through the local Slack workspace:
 * the real Bolt app answers the signed slash command; the results are checked in the database,
 * in the handoff cards and in what customers then experience. Shared helpers: desk-helpers.ts.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  // Announcements and cards share one channel; Slack's pacing is covered elsewhere (slack-outbox).
  h.sandbox.setRateLimits(false);
});
afterEach(async () => {
  await h.stop();
});

const { baton, botPostsIn, announced, handOff, claimedBy } = deskHelpers(() => h);

describe('/baton stats', () => {
  it('answers with Block Kit stats for 7 and 30 days, and the usage for another window', async () => {
    await handOff();
    await handOff();
    const week = await baton(DANA, 'stats 7d');
    expect(week.text).toContain('last 7 days: 2 handoffs');
    expect(week.blocks?.[0]).toMatchObject({ type: 'header', text: { text: 'Handoff stats · last 7 days' } });
    expect(week.blocks!.length).toBeGreaterThan(2);
    const month = await baton(DANA, 'stats 30d');
    expect(month.blocks?.[0]).toMatchObject({
      type: 'header',
      text: { text: 'Handoff stats · last 30 days' },
    });
    expect((await baton(DANA, 'stats')).text).toContain('last 7 days');
    expectUsage(await baton(DANA, 'stats 1y'), 'Use 7d or 30d.', USAGE.stats!);
  });
});

describe('/baton resolve', () => {
  it('resolves the one conversation you claimed, or the one you name when you have several', async () => {
    expect((await baton(DANA, 'resolve')).text).toBe('You have no open conversations.');
    const first = await handOff();
    await claimedBy(first, DANA);
    const second = await handOff();
    await claimedBy(second, DANA);

    const ambiguous = await baton(DANA, 'resolve');
    expect(ambiguous.text).toContain('You have 2 open conversations; say which:');
    expect(ambiguous.text).toContain(`/baton resolve ${first.id}`);
    expect(ambiguous.text).toContain(`/baton resolve ${second.id}`);
    expect((await baton(SAM, `resolve ${first.id}`)).text).toBe(
      'You have no open conversation with that id.',
    );
    expect((await h.chat.messages(first)).json.conversation.status).toBe('claimed');

    expect((await baton(DANA, `resolve ${second.id}`)).text).toBe(
      'Resolved. The customer has been asked to rate the chat.',
    );
    await h.chat.waitFor(second, (r) => r.status === 'resolved');
    expect((await h.chat.messages(first)).json.conversation.status).toBe('claimed');
    expect((await baton(DANA, 'resolve')).text).toContain('Resolved.');
    await h.chat.waitFor(first, (r) => r.status === 'resolved');
  });

  it('answers a malformed id with the usage', async () => {
    expectUsage(
      await baton(DANA, 'resolve 12345'),
      'That is not a conversation id (they start with c_).',
      USAGE.resolve!,
    );
    expectUsage(
      await baton(DANA, 'resolve c_aaaaaaaaaaaaaaaaaaaa extra'),
      'not a conversation id',
      USAGE.resolve!,
    );
  });
});

describe('/baton transfer', () => {
  it('hands a claimed conversation to another agent: the customer sees who joined, the card follows', async () => {
    const s = await handOff();
    const card = await claimedBy(s, DANA);
    expect((await baton(SAM, `transfer <@${DANA}>`)).text).toBe('You have no open conversations.');
    expect((await baton(DANA, `transfer <@${DANA}>`)).text).toBe('That agent already has this conversation.');

    const answer = await baton(DANA, `transfer <@${SAM}|sam>`);
    expect(answer.text).toBe('Transferred to Sam.');
    await announced(`:arrows_counterclockwise: <@${DANA}> transferred a conversation to <@${SAM}>.`);
    const state = await h.chat.waitFor(
      s,
      (r) =>
        r.messages.some((m) => m.author === 'system' && m.text === 'Sam has joined the conversation.') && r,
    );
    expect(state.status).toBe('claimed');
    expect(state.agent?.name).toBe('Sam');
    const [handoff] = await h.baton.deps.db.selectFrom('handoffs').selectAll().execute();
    expect(handoff).toMatchObject({ claimed_by: SAM, claimed_by_name: 'Sam', transferred: 1 });
    await h.sandbox.waitFor(() => {
      const m = h.sandbox.readChannel(HANDOFFS).find((x) => x.ts === card.ts);
      return m && JSON.stringify(m.blocks).includes('With Sam');
    });
    // Sam now has it: Dana's replies stay internal, Sam's reach the customer.
    await h.sandbox.postMessageAs(DANA, HANDOFFS, 'Dana again', { threadTs: card.ts });
    await h.sandbox.postMessageAs(SAM, HANDOFFS, 'Sam here, I will take it from now.', { threadTs: card.ts });
    const reply = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'agent'));
    expect(reply).toMatchObject({ text: 'Sam here, I will take it from now.', agent: { name: 'Sam' } });
    expect(
      (await h.chat.messages(s)).json.messages.some((m: { text: string }) => m.text === 'Dana again'),
    ).toBe(false);
  });

  it('moves a conversation to another channel: a fresh card there, the old one closed as transferred', async () => {
    const s = await handOff();
    const card = await claimedBy(s, DANA);
    const answer = await baton(DANA, 'transfer <#C0GENERAL|general>');
    expect(answer.text).toBe(`Transferred to <#${GENERAL}>.`);
    await announced(`:arrows_counterclockwise: <@${DANA}> moved a conversation to <#${GENERAL}>.`);
    const fresh = await h.sandbox.waitFor(() =>
      botPostsIn(GENERAL).find((m) => JSON.stringify(m.blocks ?? []).includes('baton_claim')),
    );
    expect(JSON.stringify(fresh.blocks)).toContain(s.id);
    const state = await h.chat.waitFor(
      s,
      (r) => r.messages.some((m) => m.author === 'system' && /passing your conversation/.test(m.text)) && r,
    );
    expect(state.status).toBe('waiting');
    await h.sandbox.waitFor(() => {
      const m = h.sandbox.readChannel(HANDOFFS).find((x) => x.ts === card.ts);
      return m && JSON.stringify(m.blocks).includes('Transferred: ');
    });
    const rows = await h.baton.deps.db.selectFrom('handoffs').selectAll().orderBy('triggered_at').execute();
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.resolved_at === null)).toHaveLength(1);
    expect((await baton(DANA, 'transfer <#C0GENERAL|general>')).text).toBe('You have no open conversations.');
  });

  it('answers a malformed transfer with the usage', async () => {
    const usage = USAGE.transfer!;
    expectUsage(await baton(DANA, 'transfer'), 'Transfer to an agent (@name) or a channel (#name).', usage);
    expectUsage(await baton(DANA, 'transfer sam'), 'Transfer to an agent', usage);
    expectUsage(await baton(DANA, `transfer <@${SAM}> 42`), 'not a conversation id', usage);
  });
});
