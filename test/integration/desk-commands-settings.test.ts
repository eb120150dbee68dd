import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USAGE } from '../../src/desk/command-parser.js';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_AGENT_SAM as SAM,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../../src/sandbox/default-workspace.js';
import { deskHelpers, expectUsage } from './desk-helpers.js';
import { type Harness, startHarness } from './harness.js';

/**
 * `/baton` settings (handoff triggers, business hours, customer messages) and who may change
 * them, through the local Slack workspace: the real Bolt app answers the signed slash command;
 * changes are checked in the audit log, in the handoff channel and in what customers then
 * experience. Shared helpers: desk-helpers.ts.
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

const { baton, audit, botPostsIn, announced, handOff, claimedBy, systemTexts } = deskHelpers(() => h);

describe('/baton trigger', () => {
  it('turns the "asked for a person" trigger off: the customer then gets an answer instead', async () => {
    expect((await baton(DANA, 'triggers')).text).toMatch(/requested \(.*\): :large_green_circle: on/);
    const off = await baton(ALEX, 'trigger requested off');
    expect(off.text).toContain('Done. requested is now off.');
    expect(off.text).toMatch(/requested \(.*\): :red_circle: off/);
    await announced(`:gear: <@${ALEX}> changed a handoff trigger: requested is now off.`);
    const [row] = await audit();
    expect(row).toMatchObject({ actor: ALEX, action: 'set triggers' });
    expect(JSON.parse(row!.old_value!).requested.enabled).toBe(true);
    expect(JSON.parse(row!.new_value!).requested.enabled).toBe(false);
    expect((await baton(SAM, 'triggers')).text).toMatch(/requested \(.*\): :red_circle: off/);

    const s = await h.chat.start();
    await h.chat.send(s, 'Can I talk to a person please?');
    const state = await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot') && r);
    expect(state.status).toBe('bot');
    expect(await h.baton.deps.db.selectFrom('handoffs').selectAll().execute()).toEqual([]);
  });

  it('sets the confidence, sentiment and turns thresholds', async () => {
    expect((await baton(ALEX, 'trigger confidence 0.5')).text).toContain('hand off below 0.5');
    await announced('confidence threshold is now 0.5.');
    expect((await baton(ALEX, 'trigger sentiment -0.7')).text).toContain('hand off at or below -0.7');
    await announced('sentiment threshold is now -0.7.');
    expect((await baton(ALEX, 'trigger turns 4')).text).toContain('after 4 customer messages');
    await announced('hand off after 4 turns.');
    expect((await baton(ALEX, 'trigger repeat off')).text).toContain('• repeat: :red_circle: off');

    const shown = (await baton(DANA, 'triggers')).text;
    expect(shown).toContain('confidence: :large_green_circle: on, hand off below 0.5');
    expect(shown).toContain('sentiment: :large_green_circle: on, hand off at or below -0.7');
    expect(shown).toContain('turns: :large_green_circle: on, after 4 customer messages');
    expect(shown).toContain('repeat: :red_circle: off');
    const rows = await audit();
    expect(rows.map((r) => [r.actor, r.action])).toEqual(Array(4).fill([ALEX, 'set triggers']));
    const last = JSON.parse(rows.at(-1)!.new_value!);
    expect(last.lowConfidence.threshold).toBe(0.5);
    expect(last.sentiment.threshold).toBe(-0.7);
    expect(last.noResolution.maxTurns).toBe(4);
    expect(last.repeated.enabled).toBe(false);
  });

  it('adds and removes sensitive keywords, and a new keyword hands off', async () => {
    expect((await baton(DANA, 'triggers')).text).not.toContain('`ombudsman`');
    const added = await baton(ALEX, 'trigger keywords add arbitration ombudsman');
    expect(added.text).toContain('added sensitive keywords `arbitration` `ombudsman`.');
    await announced('added sensitive keywords `arbitration` `ombudsman`.');
    expect((await baton(DANA, 'triggers')).text).toMatch(/sensitive: .*`arbitration` `ombudsman`/);

    const s = await h.chat.start();
    await h.chat.send(s, 'I will go to the ombudsman about this');
    await h.chat.waitFor(s, (r) => r.status === 'waiting');
    const [handoff] = await h.baton.deps.db.selectFrom('handoffs').selectAll().execute();
    expect(handoff?.reason).toBe('sensitive_topic');

    const removed = await baton(ALEX, 'trigger keywords remove ombudsman');
    expect(removed.text).toContain('removed sensitive keywords `ombudsman`.');
    await announced('removed sensitive keywords `ombudsman`.');
    const shown = (await baton(DANA, 'triggers')).text;
    expect(shown).toContain('`arbitration`');
    expect(shown).not.toContain('`ombudsman`');
    expect(await audit()).toHaveLength(2);
  });

  it('answers malformed trigger commands with the error and the usage, changing nothing', async () => {
    const usage = USAGE.trigger!;
    expectUsage(await baton(ALEX, 'trigger confidence 2'), 'Confidence is a number from 0 to 1.', usage);
    expectUsage(await baton(ALEX, 'trigger sentiment 0.5'), 'Sentiment is a number from -1 to 0.', usage);
    expectUsage(await baton(ALEX, 'trigger turns 2.5'), 'Turns is a whole number from 1 to 50.', usage);
    expectUsage(await baton(ALEX, 'trigger bogus on'), '"bogus" is not a trigger.', usage);
    expectUsage(await baton(ALEX, 'trigger sensitive 0.5'), 'sensitive takes on or off.', usage);
    expectUsage(await baton(ALEX, 'trigger requested'), 'Give one value.', usage);
    expectUsage(await baton(ALEX, 'trigger keywords add'), 'trigger keywords add|remove', usage);
    expectUsage(await baton(ALEX, 'trigger keywords drop refund'), 'trigger keywords add|remove', usage);
    expect(await audit()).toEqual([]);
  });
});

describe('/baton hours', () => {
  it('sets, shows and clears business hours', async () => {
    expect((await baton(DANA, 'hours')).text).toBe('Business hours: Always open (no business hours set).');
    const set = await baton(ALEX, 'hours mon-fri 09:00-17:30 Europe/Berlin');
    expect(set.text).toBe('Business hours: mon, tue, wed, thu, fri, 09:00–17:30 (Europe/Berlin)');
    await announced(
      `:gear: <@${ALEX}> set business hours: mon, tue, wed, thu, fri, 09:00–17:30 (Europe/Berlin)`,
    );
    expect((await baton(SAM, 'hours')).text).toBe(
      'Business hours: mon, tue, wed, thu, fri, 09:00–17:30 (Europe/Berlin)',
    );
    const off = await baton(ALEX, 'hours off');
    expect(off.text).toBe('Business hours: Always open (no business hours set).');
    await announced(`:gear: <@${ALEX}> set business hours: Always open`);
    expect((await baton(SAM, 'hours')).text).toContain('Always open');
    const rows = await audit();
    expect(rows.map((r) => [r.action, r.old_value, r.new_value])).toEqual([
      ['set hours', 'null', '{"days":[1,2,3,4,5],"from":"09:00","to":"17:30","timeZone":"Europe/Berlin"}'],
      ['set hours', '{"days":[1,2,3,4,5],"from":"09:00","to":"17:30","timeZone":"Europe/Berlin"}', 'null'],
    ]);
  });

  it('answers malformed hours with the usage', async () => {
    const usage = USAGE.hours!;
    expectUsage(await baton(ALEX, 'hours weekdays 09:00-17:00 UTC'), 'Days look like', usage);
    expectUsage(await baton(ALEX, 'hours mon-fri 9-5 UTC'), 'Hours look like 09:00-17:30', usage);
    expectUsage(await baton(ALEX, 'hours mon-fri 09:00-17:00 Mars/Base'), 'IANA time zone', usage);
    expectUsage(await baton(ALEX, 'hours mon-fri 09:00-17:00'), 'IANA time zone', usage);
    expectUsage(
      await baton(ALEX, 'hours mon-fri 17:00-09:00 UTC'),
      'The closing time must be after the opening time.',
      usage,
    );
    expect(await audit()).toEqual([]);
    expect((await baton(ALEX, 'hours')).text).toContain('Always open');
  });
});

describe('/baton message', () => {
  it('changes what customers are told at a handoff, when nobody is available, and when an agent joins', async () => {
    const handoffText = 'A teammate is on the way, hang tight!';
    const offlineText = 'We are closed; leave your email and we will write back.';
    const joinText = '{agent} from Northwind is with you now.';
    const a = await baton(ALEX, `message handoff ${handoffText}`);
    expect(a.text).toBe(`The handoff message is now:\n>${handoffText}`);
    await announced(`:gear: <@${ALEX}> changed what customers are told (handoff).`);
    await baton(ALEX, `message offline ${offlineText}`);
    await announced('changed what customers are told (offline).');
    await baton(ALEX, `message join ${joinText}`);
    await announced('changed what customers are told (join).');
    const rows = await audit();
    expect(rows.map((r) => r.action)).toEqual(['set messages', 'set messages', 'set messages']);
    expect(JSON.parse(rows.at(-1)!.new_value!)).toEqual({
      handoff: handoffText,
      offline: offlineText,
      join: joinText,
    });

    const s = await handOff();
    await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'system' && m.text === handoffText));
    await claimedBy(s, DANA);
    await h.chat.waitFor(s, (r) =>
      r.messages.some((m) => m.author === 'system' && m.text === 'Dana from Northwind is with you now.'),
    );
    expect(await systemTexts(s)).not.toContain('Dana has joined the conversation.');

    for (const user of [DANA, SAM, ALEX]) await baton(user, 'presence away');
    const offline = await handOff();
    const state = await h.chat.waitFor(
      offline,
      (r) => r.messages.some((m) => m.author === 'system' && m.text === offlineText) && r,
    );
    expect(state.status).toBe('queued');
  });

  it('answers malformed messages with the usage', async () => {
    const usage = USAGE.message!;
    expectUsage(await baton(ALEX, 'message goodbye See you soon'), 'Say which message', usage);
    expectUsage(await baton(ALEX, 'message handoff hey'), 'The message must be 5 to 500 characters.', usage);
    expectUsage(await baton(ALEX, `message join ${'x'.repeat(501)}`), '5 to 500 characters', usage);
    expect(await audit()).toEqual([]);
  });
});

describe('who may change settings', () => {
  const ADMIN_COMMANDS = [
    'trigger requested off',
    'trigger confidence 0.9',
    'trigger sentiment -0.1',
    'trigger turns 2',
    'trigger keywords add chargeback',
    'routing skill',
    `skills <@${SAM}> billing`,
    `capacity <@${SAM}> 1`,
    'route url:/vip <#C0GENERAL|general>',
    'hours mon-fri 09:00-17:00 UTC',
    'message handoff Please hold the line.',
  ];

  it('refuses every settings change from an agent who is no admin, and nothing changes', async () => {
    for (const text of ADMIN_COMMANDS) {
      const answer = await baton(DANA, text);
      expect(answer.text, text).toContain('Only Baton admins');
    }
    expect(await audit()).toEqual([]);
    expect(await h.baton.deps.db.selectFrom('settings').selectAll().execute()).toEqual([]);
    expect(await h.baton.deps.db.selectFrom('agents').selectAll().execute()).toEqual([]);
    // Announcements are posted in order: once a later one is there, the refused ones never were.
    await baton(DANA, 'presence busy');
    await announced(`<@${DANA}> is now busy.`);
    expect(botPostsIn(HANDOFFS).map((m) => m.text)).toEqual([
      `:large_yellow_circle: <@${DANA}> is now busy.`,
    ]);
    expect((await baton(DANA, 'triggers')).text).toMatch(/requested \(.*\): :large_green_circle: on/);
    expect((await baton(DANA, 'hours')).text).toContain('Always open');
  });

  it('lets the people in BATON_ADMINS change settings', async () => {
    await h.stop();
    h = await startHarness({ BATON_ADMINS: `${SAM}` });
    h.sandbox.setRateLimits(false);
    expect((await baton(DANA, 'routing load-balanced')).text).toContain('Only Baton admins');
    expect((await baton(SAM, 'routing load-balanced')).text).toBe(
      'Routing is now *load-balanced* (was round-robin).',
    );
    await announced(`:gear: <@${SAM}> set routing to *load-balanced* (was round-robin).`);
    expect((await baton(SAM, 'hours daily 08:00-20:00 UTC')).text).toContain('08:00–20:00 (UTC)');
    // Workspace admins keep the right too.
    expect((await baton(ALEX, 'routing first-available')).text).toContain('(was load-balanced)');
    expect((await audit()).map((r) => [r.actor, r.action])).toEqual([
      [SAM, 'set routing'],
      [SAM, 'set hours'],
      [ALEX, 'set routing'],
    ]);
  });
});
