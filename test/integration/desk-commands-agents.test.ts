import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USAGE } from '../../src/desk/command-parser.js';
import {
  SANDBOX_ADMIN_ALEX as ALEX,
  SANDBOX_AGENT_DANA as DANA,
  SANDBOX_AGENT_SAM as SAM,
  SANDBOX_BOT_USER_ID as BOT,
  SANDBOX_GENERAL_CHANNEL_ID as GENERAL,
  SANDBOX_HANDOFF_CHANNEL_ID as HANDOFFS,
} from '../../src/sandbox/default-workspace.js';
import { deskHelpers, expectUsage } from './desk-helpers.js';
import { type Harness, startHarness, waitForCard } from './harness.js';

/**
 * `/baton` help, and the commands about agents and where conversations go (presence, routing,
 * skills, capacity, routes) through the local Slack workspace: the real Bolt app answers the
 * signed slash command; changes are checked in the audit log, in the handoff channel and in what
 * customers then experience. Shared helpers: desk-helpers.ts.
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

const { baton, audit, botPostsIn, announced, handOff } = deskHelpers(() => h);

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
    // #random exists but Baton is not in it: every card routed there would be lost.
    expect((await baton(ALEX, 'route url:/x <#C0RANDOM|random>')).text).toBe(
      'Invite @baton to <#C0RANDOM> first, then route again.',
    );
    expect((await baton(ALEX, 'route url:/x <#C0NOWHERE|gone>')).text).toBe('I cannot find <#C0NOWHERE>.');
    expect(await audit()).toEqual([]);
  });
});
