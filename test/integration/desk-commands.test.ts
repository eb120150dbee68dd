import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USAGE } from '../../src/domain/command-parser.js';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_AGENT_SAM as SAM,
  SANDBOX_BOT_USER_ID as BOT,
  SANDBOX_GENERAL_CHANNEL_ID as GENERAL,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../../src/sandbox/default-workspace.js';
import { type Harness, type Session, startHarness, waitForCard } from './harness.js';

/**
 * Every `/baton` subcommand through the local Slack workspace: the real Bolt app answers the
 * signed slash command; changes are checked in the audit log, in the handoff channel and in what
 * customers then experience.
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

interface Answer {
  response_type: string;
  text: string;
  blocks?: { type: string; text?: { text: string } }[];
}

async function baton(user: string, text: string, channel = HANDOFFS): Promise<Answer> {
  const res = await h.sandbox.runSlashCommand(user, channel, text);
  expect(res.status).toBe(200);
  const answer = JSON.parse(res.body) as Answer;
  expect(answer.response_type).toBe('ephemeral');
  return answer;
}

const audit = () => h.baton.deps.db.selectFrom('audit_log').selectAll().orderBy('id').execute();

const botPostsIn = (channel: string) =>
  h.sandbox.readChannel(channel).filter((m) => m.user === BOT && !m.thread_ts);

/** Waits for Baton's announcement in #support-handoffs. */
function announced(pattern: string | RegExp) {
  const hit = (text: string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
  return h.sandbox.waitFor(() => botPostsIn(HANDOFFS).find((m) => hit(m.text)));
}

/** A customer asks for a person with the widget's button (optionally after one question). */
async function handOff(opts: { first?: string; pageUrl?: string } = {}) {
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
  const card = await waitForCard(h.sandbox, (t) => t.includes(s.id));
  const click = await h.sandbox.clickButton(user, card.channel, card.ts, 'baton_claim');
  expect(click.status).toBe(200);
  await h.chat.waitFor(s, (r) => r.status === 'claimed');
  return card;
}

const systemTexts = async (s: Session) =>
  ((await h.chat.messages(s)).json.messages as { author: string; text: string }[])
    .filter((m) => m.author === 'system')
    .map((m) => m.text);

function expectUsage(answer: Answer, error: string | RegExp, usage: string) {
  if (typeof error === 'string') expect(answer.text).toContain(error);
  else expect(answer.text).toMatch(error);
  expect(answer.text).toContain(`Usage: \`${usage}\``);
}

describe('/baton help and unknown subcommands', () => {
  it('lists every command for help and for an empty command', async () => {
    for (const text of ['help', '']) {
      const answer = await baton(DANA, text);
      expect(answer.text).toContain('*Baton commands*');
      for (const usage of Object.values(USAGE)) expect(answer.text).toContain(usage);
    }
  });

  it('answers an unknown subcommand with the error and every usage line', async () => {
    const answer = await baton(DANA, 'frobnicate now');
    expect(answer.text).toContain('Unknown subcommand "frobnicate".');
    expect(answer.text).toContain('Usage:');
    expect(answer.text).toContain(USAGE.routing);
    expect(answer.text).toContain(USAGE.transfer);
  });
});

describe('/baton presence', () => {
  it('sets your own presence (audited, announced) and lists everyone as routing sees them', async () => {
    const set = await baton(DANA, 'presence busy');
    expect(set.text).toContain('You are now *busy*');
    expect(set.text).toContain('no new handoffs');
    await announced(`:large_yellow_circle: <@${DANA}> is now busy.`);
    expect(await audit()).toMatchObject([{ actor: DANA, action: 'set presence', new_value: '"busy"' }]);

    const list = await baton(SAM, 'presence');
    expect(list.text).toContain('*Agents*');
    expect(list.text).toContain(`<@${DANA}> busy (set in Baton) · 0 open`);
    expect(list.text).toContain(`<@${SAM}> available (from Slack)`);
    expect(list.text).toContain(`<@${ALEX}> available (from Slack)`);
    expect(list.text).not.toContain(`<@${BOT}>`);

    const back = await baton(DANA, 'presence available');
    expect(back.text).toContain('New handoffs can be routed to you.');
    await announced(`<@${DANA}> is now available.`);
    expect((await baton(DANA, 'presence')).text).toContain(`<@${DANA}> available (set in Baton)`);
  });

  it('rejects a presence that does not exist and changes nothing', async () => {
    expectUsage(await baton(DANA, 'presence sleepy'), '"sleepy" is not a presence.', USAGE.presence!);
    expectUsage(await baton(DANA, 'presence busy now'), '"busy" is not a presence.', USAGE.presence!);
    expect(await audit()).toEqual([]);
    expect((await baton(DANA, 'presence')).text).toContain(`<@${DANA}> available (from Slack)`);
  });
});

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

describe('/baton routing, skills and capacity', () => {
  it('sets the routing method, skills (by mention and by handle) and capacity', async () => {
    const routing = await baton(ALEX, 'routing skill');
    expect(routing.text).toBe('Routing is now *skill* (was round-robin).');
    await announced(`:gear: <@${ALEX}> set routing to *skill* (was round-robin).`);

    const skills = await baton(ALEX, `skills <@${SAM}|sam> Billing shipping billing`);
    expect(skills.text).toBe(`<@${SAM}> now has skills: billing, shipping.`);
    await announced(`:gear: <@${ALEX}> set the skills of <@${SAM}>: billing, shipping.`);
    expect((await baton(ALEX, 'skills @dana returns')).text).toBe(`<@${DANA}> now has skills: returns.`);

    const capacity = await baton(ALEX, `capacity <@${DANA}> 2`);
    expect(capacity.text).toBe(`<@${DANA}> takes at most 2 conversations at once.`);
    await announced(`:gear: <@${ALEX}> set the capacity of <@${DANA}> to 2.`);

    const list = (await baton(SAM, 'presence')).text;
    expect(list).toContain(`<@${SAM}> available (from Slack) · 0 open · skills: billing, shipping`);
    expect(list).toContain(`<@${DANA}> available (from Slack) · 0/2 open · skills: returns`);

    const rows = await audit();
    expect(rows.map((r) => [r.actor, r.action, r.new_value])).toEqual([
      [ALEX, 'set routing', '"skill"'],
      [ALEX, `set skills of ${SAM}`, '["billing","shipping"]'],
      [ALEX, `set skills of ${DANA}`, '["returns"]'],
      [ALEX, `set capacity of ${DANA}`, '2'],
    ]);
    expect(rows[0]!.old_value).toBe('"round-robin"');
    const agents = await h.baton.deps.db.selectFrom('agents').selectAll().orderBy('slack_user_id').execute();
    expect(agents.map((a) => [a.slack_user_id, a.skills, a.capacity])).toEqual([
      [DANA, '["returns"]', 2],
      [SAM, '["billing","shipping"]', null],
    ]);
  });

  it('answers malformed routing, skills and capacity commands with the usage', async () => {
    expectUsage(await baton(ALEX, 'routing fastest'), 'Name one routing method.', USAGE.routing!);
    expectUsage(await baton(ALEX, 'routing'), 'Name one routing method.', USAGE.routing!);
    expectUsage(await baton(ALEX, 'skills billing'), 'Start with the agent', USAGE.skills!);
    expectUsage(
      await baton(ALEX, `skills <@${SAM}> bill$ing`),
      'Skills are single words such as billing or shipping.',
      USAGE.skills!,
    );
    expectUsage(
      await baton(ALEX, `capacity <@${SAM}> 0`),
      'Give an agent and a whole number from 1 to 50.',
      USAGE.capacity!,
    );
    expectUsage(
      await baton(ALEX, `capacity <@${SAM}>`),
      'Give an agent and a whole number from 1 to 50.',
      USAGE.capacity!,
    );
    expect((await baton(ALEX, 'skills @nobody billing')).text).toBe(
      'I could not find @nobody in this workspace.',
    );
    expect((await baton(ALEX, 'capacity @ghost 3')).text).toBe('I could not find @ghost in this workspace.');
    expect(await audit()).toEqual([]);
    expect(await h.baton.deps.db.selectFrom('agents').selectAll().execute()).toEqual([]);
  });
});

describe('/baton route', () => {
  it('sends conversations whose page URL matches to another channel', async () => {
    const answer = await baton(ALEX, 'route url:/enterprise <#C0GENERAL|general>');
    expect(answer.text).toBe(`Conversations where url contains \`/enterprise\` now go to <#${GENERAL}>.`);
    await announced(
      `:gear: <@${ALEX}> routed conversations where url contains \`/enterprise\` to <#${GENERAL}>.`,
    );
    expect(await audit()).toMatchObject([{ actor: ALEX, action: 'set routes', old_value: '[]' }]);

    const routed = await handOff({ pageUrl: 'https://shop.example/Enterprise/quote' });
    const card = await h.sandbox.waitFor(() =>
      botPostsIn(GENERAL).find((m) => m.text.includes('Needs a person')),
    );
    expect(JSON.stringify(card.blocks)).toContain(routed.id);
    const other = await handOff({ pageUrl: 'https://shop.example/checkout' });
    await waitForCard(h.sandbox, (t) => t.includes(other.id));
    expect(
      botPostsIn(GENERAL).filter((m) => JSON.stringify(m.blocks ?? []).includes('baton_claim')),
    ).toHaveLength(1);
  });

  it('sends conversations on a topic to another channel', async () => {
    const answer = await baton(ALEX, 'route topic:Billing <#C0GENERAL|general>');
    expect(answer.text).toBe(`Conversations where topic is \`billing\` now go to <#${GENERAL}>.`);
    await announced(`routed conversations where topic is \`billing\` to <#${GENERAL}>.`);
    // Setting the same condition again replaces the route rather than adding a second one.
    await baton(ALEX, `route topic:billing ${HANDOFFS}`);
    await baton(ALEX, 'route topic:billing <#C0GENERAL|general>');
    const routes = await h.baton.deps.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'routes')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(routes.value)).toEqual([
      { condition: { kind: 'topic', topic: 'billing' }, channel: GENERAL },
    ]);

    const s = await h.chat.start();
    await h.chat.send(s, 'I was charged twice for my order');
    await h.chat.waitFor(s, (r) => r.status === 'waiting');
    const [handoff] = await h.baton.deps.db.selectFrom('handoffs').selectAll().execute();
    expect(handoff?.topic).toBe('billing');
    await h.sandbox.waitFor(() =>
      botPostsIn(GENERAL).find((m) => JSON.stringify(m.blocks ?? []).includes(s.id)),
    );
    expect(botPostsIn(HANDOFFS).some((m) => JSON.stringify(m.blocks ?? []).includes(s.id))).toBe(false);
  });

  it('answers malformed routes with the usage and refuses a channel it cannot resolve', async () => {
    const usage = USAGE.route!;
    expectUsage(await baton(ALEX, 'route topic:billing general'), 'Give a condition and a #channel.', usage);
    expectUsage(await baton(ALEX, 'route topic:billing'), 'Give a condition and a #channel.', usage);
    expectUsage(
      await baton(ALEX, 'route page:/x <#C0GENERAL|general>'),
      'Conditions are url:<text> or topic:<topic>.',
      usage,
    );
    expectUsage(
      await baton(ALEX, 'route url: <#C0GENERAL|general>'),
      'The condition needs a value, e.g. url:/enterprise.',
      usage,
    );
    expect((await baton(ALEX, 'route url:/x #general')).text).toContain('Pick the channel from Slack');
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
